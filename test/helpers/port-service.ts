// `migrate port <service>` then `migrate codemod` on a sample service, as library calls (no glue written), for the
// tests that build and serve ported services as components.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadCodemodPlan, portJavaSources, readJavaSources } from '../../codemods/index.ts';

/** The reference estate the ported services come from. */
export const SAMPLE_ESTATE = join(import.meta.dirname, '../../samples/spring-orders');

async function writeFiles(root: string, files: Iterable<readonly [string, string]>): Promise<void> {
  for (const [path, text] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

type Files = (readonly [string, string])[];

/**
 * What porting and codemodding a service writes, once per process: the port is deterministic for given sources,
 * and a test file or the warm-up that ports one service for several targets would otherwise port it each time.
 */
const portedFiles = new Map<string, Promise<Files>>();

async function portOnce(service: string, root: string): Promise<Files> {
  // no type-check here: its result is in the port report, which callers of this helper never read, and every
  // build of the project type-checks it anyway (and refuses it on an error)
  const ported = await portJavaSources(service, await readJavaSources(join(SAMPLE_ESTATE, service)), {
    typeCheck: false,
  });
  await writeFiles(root, ported.files);
  const codemodded = loadCodemodPlan(root).writes.map((write) => [write.path, write.content] as const);
  await writeFiles(root, codemodded);
  return [...ported.files, ...codemodded];
}

/** Ports `service` of the sample into `<dir>/<service>` and runs the codemod on it; returns that directory. */
export async function portAndCodemod(dir: string, service: string): Promise<string> {
  const root = join(dir, service);
  const earlier = portedFiles.get(service);
  if (earlier === undefined) {
    const files = portOnce(service, root);
    portedFiles.set(service, files);
    // a failed port is not remembered: the next caller tries again (and sees the error itself)
    files.catch(() => portedFiles.delete(service));
    await files;
  } else {
    await writeFiles(root, await earlier);
  }
  return root;
}
