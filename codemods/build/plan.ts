/**
 * Plans `migrate build`: which capabilities a codemodded service calls (`caps.<capability>.<member>` across
 * `src/**`), the effect kinds they are, and the WIT interfaces the chosen target binds them to (shared/catalog.ts).
 * A capability the target cannot offer becomes a located issue (file:line of its first use, the catalog's reason
 * and way out), found before anything is compiled.
 *
 * `planBuild` and `collectCapabilityUses` are pure; `loadBuildPlan` reads the service's sources from disk.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import {
  getCapabilitySupport,
  resolvePinsTarget,
  type EffectKind,
  type Target,
} from '../../shared/catalog.ts';
import { REAL_TARGETS, type RealTarget } from '../../shared/runtimes.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CapabilityKind } from '../facade/capabilities.ts';
import { HTTP_INCOMING_HANDLER } from '../wit/world.ts';

const CAPABILITY_KINDS: readonly CapabilityKind[] = [
  'sql',
  'messaging',
  'kv',
  'redis',
  'http',
  'config',
  'clock',
  'random',
  'log',
];

/** One `caps.<capability>.<member>` in the service's code. */
export interface CapabilityUse {
  capability: CapabilityKind;
  /** The member called (`publish`, `query`, …), or `*` when the capability object itself is passed around. */
  member: string;
  /** Path relative to the service root, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  /** The source line, trimmed. */
  excerpt: string;
}

/** An effect kind the target cannot offer, located at its first use. */
export interface UnsupportedUse {
  kind: EffectKind;
  severity: 'blocker' | 'port-needed';
  reason: string;
  wayOut: string;
  /** The first use (in file, then line order). */
  use: CapabilityUse;
  /** How many uses of this effect kind the service has. */
  count: number;
}

export interface BuildPlan {
  target: Target;
  /**
   * The real target whose interface versions the world takes: the target itself, or for `embedded` the first
   * real target supporting every kind used; `undefined` when none does (each kind then takes the first real
   * target that supports it, and the component deploys nowhere as built).
   */
  pins: RealTarget | undefined;
  /** Capabilities used, sorted. */
  capabilities: CapabilityKind[];
  /** Effect kinds used, sorted. */
  effectKinds: EffectKind[];
  /** Every use, by file then line. */
  uses: CapabilityUse[];
  /** WIT interfaces the world imports (sorted; empty when `unsupported` is not). */
  imports: string[];
  /** WIT interfaces the world exports: always `wasi:http/incoming-handler`, plus the messaging handler. */
  exports: string[];
  /** Effect kinds the target cannot offer; the build must not go on when this is not empty. */
  unsupported: UnsupportedUse[];
}

/** The effect kind of one use; `messaging` members other than publish/subscribe count as both. */
export function getEffectKinds(capability: CapabilityKind, member: string): EffectKind[] {
  switch (capability) {
    case 'messaging':
      if (member === 'publish') return ['publish'];
      if (member === 'subscribe') return ['subscribe'];
      return ['publish', 'subscribe'];
    case 'http':
      return ['http-out'];
    default:
      return [capability];
  }
}

const FACADE_MODULE_RE = /(^|\/)caps\/capabilities(\.[cm]?[jt]s)?$/;

/** The local names `caps` is imported under from the facade module (`import { caps } from './caps/capabilities.ts'`). */
function getCapsNames(sourceFile: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const declaration of sourceFile.getImportDeclarations()) {
    if (!FACADE_MODULE_RE.test(declaration.getModuleSpecifierValue())) continue;
    for (const specifier of declaration.getNamedImports()) {
      if (specifier.getName() === 'caps') names.add(specifier.getAliasNode()?.getText() ?? 'caps');
    }
  }
  return names;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Finds every `caps.<capability>` use in the given files. Pure (reads only the ts-morph project). */
export function collectCapabilityUses(sourceFiles: readonly SourceFile[], root: string): CapabilityUse[] {
  const uses: CapabilityUse[] = [];
  for (const sourceFile of sourceFiles) {
    const names = getCapsNames(sourceFile);
    if (names.size === 0) continue;
    const file = toPosix(relative(root, sourceFile.getFilePath()));
    for (const access of sourceFile.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
      const target = access.getExpression();
      if (!Node.isIdentifier(target) || !names.has(target.getText())) continue;
      const capability = access.getName() as CapabilityKind;
      if (!CAPABILITY_KINDS.includes(capability)) continue;
      const parent = access.getParent();
      const member =
        Node.isPropertyAccessExpression(parent) && parent.getExpression() === access ? parent.getName() : '*';
      const start = access.getStart();
      const { line, column } = sourceFile.getLineAndColumnAtPos(start);
      const lineText = sourceFile.getFullText().split('\n')[line - 1] ?? '';
      uses.push({ capability, member, file, line, column, excerpt: lineText.trim() });
    }
  }
  return uses.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** From the uses found, the effect kinds and the WIT world for `target`, or the located reasons it cannot be built. Pure. */
export function planBuild(uses: readonly CapabilityUse[], target: Target): BuildPlan {
  const sorted = [...uses].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  const byKind = new Map<EffectKind, CapabilityUse[]>();
  for (const use of sorted) {
    for (const kind of getEffectKinds(use.capability, use.member)) {
      const list = byKind.get(kind) ?? [];
      list.push(use);
      byKind.set(kind, list);
    }
  }
  const effectKinds = [...byKind.keys()].sort();
  const imports = new Set<string>();
  const exports = new Set<string>([HTTP_INCOMING_HANDLER]);
  const unsupported: UnsupportedUse[] = [];
  const pins = resolvePinsTarget(target, effectKinds);
  for (const kind of effectKinds) {
    const kindUses = byKind.get(kind)!;
    const offered = getCapabilitySupport(kind, target);
    if (!offered.supported) {
      unsupported.push({
        kind,
        severity: offered.severity,
        reason: offered.reason,
        wayOut: offered.wayOut,
        use: kindUses[0]!,
        count: kindUses.length,
      });
      continue;
    }
    const pinned =
      pins ?? REAL_TARGETS.find((real) => getCapabilitySupport(kind, real).supported) ?? 'wasmcloud';
    const support = getCapabilitySupport(kind, pinned);
    if (!support.supported) continue;
    // A subscription is a handler the component exports; every other capability is an import.
    for (const binding of support.bindings) (kind === 'subscribe' ? exports : imports).add(binding.interface);
  }
  return {
    target,
    pins,
    capabilities: [...new Set(sorted.map((u) => u.capability))].sort(),
    effectKinds,
    uses: sorted,
    imports: unsupported.length === 0 ? [...imports].sort() : [],
    exports: [...exports].sort(),
    unsupported,
  };
}

/** The error `migrate build` stops with: the first unsupported use, located, with the catalog's way out. */
export function createUnsupportedError(
  issue: UnsupportedUse,
  target: Target,
  file = issue.use.file,
): AppError {
  const call = `caps.${issue.use.capability}${issue.use.member === '*' ? '' : `.${issue.use.member}`}`;
  const more = issue.count > 1 ? ` (${issue.count} uses; the first is shown)` : '';
  return new AppError(
    ErrorCode.unsupported,
    `${call} needs the ${issue.kind} capability, which target ${target} does not support: ${issue.reason}${more}`,
    {
      hint: issue.wayOut,
      location: { file, line: issue.use.line, column: issue.use.column, excerpt: issue.use.excerpt },
    },
  );
}

/**
 * Loads the TypeScript and JavaScript of `<dir>/src/**` (or `<dir>/**` without src/), leaving out the copied facade,
 * tests, build output and declarations.
 */
export function loadServiceSources(dir: string): { root: string; sourceFiles: SourceFile[] } {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new AppError(ErrorCode.notFound, `no directory ${dir}`, {
      hint: 'pass the codemodded service directory',
    });
  }
  const srcRoot = existsSync(join(root, 'src')) ? join(root, 'src') : root;
  const project = new Project({ compilerOptions: { allowJs: true }, skipFileDependencyResolution: true });
  const base = toPosix(srcRoot);
  project.addSourceFilesAtPaths([
    `${base}/**/*.{ts,js,mjs,cjs}`,
    `!${base}/**/dist/**`,
    `!${base}/**/node_modules/**`,
    `!${base}/**/caps/**`,
    `!${base}/**/*.d.ts`,
    `!${base}/**/*.test.{ts,js}`,
  ]);
  return { root, sourceFiles: project.getSourceFiles() };
}

/** Reads the service at `dir` and plans its build for `target`. */
export function loadBuildPlan(dir: string, target: Target): BuildPlan & { root: string } {
  const { root, sourceFiles } = loadServiceSources(dir);
  return { root, ...planBuild(collectCapabilityUses(sourceFiles, root), target) };
}
