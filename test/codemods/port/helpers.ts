import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** Writes a ported project under `dir`, with the repository's node_modules linked for type checking. */
export async function writeProject(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await symlink(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
}

/** Type-checks a ported project with its own tsconfig (strict); returns the diagnostics as text. */
export function typeCheck(dir: string): string[] {
  const configFile = ts.readConfigFile(join(dir, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** An answer of a ported router, its body parsed as JSON. */
export interface RoutedAnswer {
  status: number;
  body: unknown;
}

/** Sends one request through a ported project's router (its controllers' routes) and parses the answer. */
export type SendThroughRouter = (
  method: string,
  url: string,
  body?: string,
  contentType?: string,
) => Promise<RoutedAnswer>;

/**
 * Loads the ported project in `dir` (written with writeProject): the routes of `src/thing-controller.ts`'s
 * ThingController, answered by the project's own `src/runtime/router.ts`, as the component serves them.
 */
export async function loadThingRouter(dir: string): Promise<SendThroughRouter> {
  const controllerModule = (await import(join(dir, 'src/thing-controller.ts'))) as {
    ThingController: new () => object;
    thingControllerRoutes: (controller: object) => unknown[];
  };
  const router = (await import(join(dir, 'src/runtime/router.ts'))) as {
    handleRequest: (
      options: { routes: unknown[]; log: unknown },
      request: { method: string; url: string; headers: object; body: string },
    ) => Promise<{ status: number; body: string | undefined }>;
  };
  const routes = controllerModule.thingControllerRoutes(new controllerModule.ThingController());
  const quiet = (): undefined => undefined;
  const log = { info: quiet, warn: quiet, error: quiet, debug: quiet };
  return async (method, url, body = '', contentType = 'application/json') => {
    const response = await router.handleRequest(
      { routes, log },
      { method, url, headers: body === '' ? {} : { 'content-type': contentType }, body },
    );
    return {
      status: response.status,
      body: response.body === undefined ? undefined : (JSON.parse(response.body) as unknown),
    };
  };
}
