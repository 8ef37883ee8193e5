/**
 * The port's own runtime modules (`src/runtime/nats.ts` and `logger.ts`, written by `migrate port`, marked
 * `// @migrate-runtime <name>` on their first line) are replaced whole by a caps-backed module with the same API, shipped with migrate
 * (codemods/transforms/shims/). Hand-written library code keeps going through the other transforms.
 *
 * Members of the shim the service never calls are left out, so the build plans only the capabilities the service
 * uses: a `Connection.publish` nothing calls would import wasmcloud:messaging/consumer, a dispatcher nothing
 * creates would export wasmcloud:messaging/handler.
 */
import { readFileSync } from 'node:fs';
import { Node, Project, type SourceFile } from 'ts-morph';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const MARKER = '// @migrate-runtime ';
const FACADE_IMPORT = '../../facade/capabilities.ts';

/** One replaceable runtime module: its marker name, and the members whose absence drops parts of the shim. */
interface RuntimeShim {
  name: string;
  /** `Class.member` of the ported module → what to remove from the shim when nothing outside calls it. */
  optional: readonly { member: readonly [string, string]; remove: readonly (readonly [string, string?])[] }[];
}

const SHIMS: readonly RuntimeShim[] = [
  {
    name: 'nats',
    optional: [
      { member: ['Connection', 'publish'], remove: [['Connection', 'publish']] },
      { member: ['Connection', 'jetStream'], remove: [['Connection', 'jetStream'], ['JetStream']] },
      {
        member: ['Connection', 'createDispatcher'],
        remove: [['Connection', 'createDispatcher'], ['Dispatcher']],
      },
    ],
  },
  { name: 'logger', optional: [] },
];

/** The runtime name of a port-written module (`nats` for `// @migrate-runtime nats: …`), if the file is one. */
export function getRuntimeMarker(file: SourceFile): string | undefined {
  const text = file.getFullText();
  if (!text.startsWith(MARKER)) return undefined;
  return /^[a-z-]+/.exec(text.slice(MARKER.length))?.[0];
}

const templates = new Map<string, string>();

function readTemplate(name: string): string {
  let text = templates.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./shims/${name}.ts`, import.meta.url), 'utf8');
    templates.set(name, text);
  }
  return text;
}

/** True when something outside `file` refers to `Class.member` declared in it. */
function isUsedElsewhere(file: SourceFile, [className, member]: readonly [string, string]): boolean {
  const declaration = file.getClass(className)?.getInstanceMember(member);
  if (declaration === undefined || !Node.isReferenceFindable(declaration)) return true;
  return declaration.findReferencesAsNodes().some((ref) => ref.getSourceFile() !== file);
}

/** The shim's text without its facade import (the runner adds one for the file's place) and unused parts. */
function renderShim(shim: RuntimeShim, file: SourceFile): string {
  const project = new Project({ useInMemoryFileSystem: true });
  const source = project.createSourceFile(`/${shim.name}.ts`, readTemplate(shim.name));
  for (const { member, remove } of shim.optional) {
    if (isUsedElsewhere(file, member)) continue;
    for (const [className, name] of remove) {
      const cls = source.getClass(className);
      if (name === undefined) cls?.remove();
      else cls?.getInstanceMember(name)?.remove();
    }
  }
  // The import goes, its leading comments (the module's documentation) stay.
  const text = source.getFullText();
  const facade = source.getImportDeclaration((d) => d.getModuleSpecifierValue() === FACADE_IMPORT);
  return facade === undefined
    ? text
    : `${text.slice(0, facade.getStart())}${text.slice(facade.getEnd()).replace(/^\n/, '')}`;
}

export const runtimeShimsTransform: Transform = {
  kind: 'messaging',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    const name = getRuntimeMarker(file);
    const shim = SHIMS.find((s) => s.name === name);
    if (shim === undefined) return result;
    const text = renderShim(shim, file);
    result.edits.push({
      start: 0,
      end: file.getEnd(),
      text,
      description: `runtime/${shim.name}.ts on the ${shim.name} client → the same API on caps`,
    });
    // Dropped again by the cleanup when the shim kept no caps call.
    result.facadeImports.push('caps');
    return result;
  },
};
