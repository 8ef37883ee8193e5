/**
 * Java's class initialisation (`static { … }` blocks, static fields set from the environment or a connection)
 * → a `static initStatics()` method the composition root calls once, before it makes the beans. A component may
 * call no capability while it is initialised (componentize-js snapshots it), so work that reads the environment
 * (`System.getenv` → the config capability) or opens a NATS connection (→ the messaging capability) cannot run
 * when the module loads; the composition root runs when the service starts (main.ts) or on the component's
 * first request or message.
 */
import type { JavaClass, JavaInitializer, JavaVariable } from './model.ts';
import { createScope, fieldName, type ImportSet, type ServiceContext } from './scope.ts';
import { translateExpr } from './expressions.ts';
import { translateStatements } from './statements.ts';
import { Untranslatable } from './todo.ts';
import { fileName, type MethodOutcome } from './members.ts';

/** The method the composition root calls. */
export const STATIC_INIT_METHOD = 'initStatics';

/** Calls that must not run while a component is initialised: they reach a capability. */
const EFFECTFUL = /\bSystem\s*\.\s*getenv\b|\bNats\s*\.\s*connect\b/;

/** A static field whose initializer moves into `initStatics` (it reaches a capability). */
export function isDeferredStaticField(f: JavaVariable): boolean {
  return f.modifiers.includes('static') && f.init !== undefined && EFFECTFUL.test(f.init.text);
}

/** Static fields a `static {}` block assigns: they are set by `initStatics`, so not readonly in TypeScript. */
export function getStaticallyAssigned(cls: JavaClass): Set<string> {
  const names = new Set<string>();
  for (const block of cls.initializers.filter((b) => b.kind === 'static')) {
    for (const a of block.body?.descendantsOfType('assignment_expression') ?? []) {
      const left = a?.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
    }
  }
  for (const f of cls.fields.filter(isDeferredStaticField)) names.add(f.name);
  return names;
}

export interface StaticInit {
  /** The `static initStatics(): void { … }` member. */
  member: string;
  /** The static blocks it carries (no longer dropped constructs). */
  blocks: JavaInitializer[];
}

/**
 * The class's static initialisation as one method, in source order (fields and blocks interleave as in Java), or
 * undefined when there is none to defer, or when a block does not translate (it stays a dropped construct then).
 */
export function translateStaticInit(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): StaticInit | undefined {
  const blocks = cls.initializers.filter((b) => b.kind === 'static');
  const fields = cls.fields.filter(isDeferredStaticField);
  if (blocks.length === 0 && fields.length === 0) return undefined;
  const scope = createScope(ctx, cls, STATIC_INIT_METHOD, imports, true);
  const parts: { line: number; text: string }[] = [];
  try {
    for (const f of fields)
      if (f.init)
        parts.push({
          line: f.line,
          text: `${cls.name}.${fieldName(cls, f.name)} = ${translateExpr(f.init, scope)};`,
        });
    for (const b of blocks) {
      if (!b.body) throw new Untranslatable('static initializer without a body');
      parts.push({ line: b.line, text: translateStatements(b.body, scope) });
    }
  } catch (error) {
    if (error instanceof Untranslatable) return undefined;
    throw error;
  }
  const first = Math.min(...parts.map((p) => p.line));
  outcomes.push({ member: `${cls.name}.<clinit>`, file: cls.file, line: first, todos: 0 });
  const body = parts
    .sort((a, b) => a.line - b.line)
    .map((p) => p.text)
    .join('\n');
  const where = [...new Set(parts.map((p) => `${fileName(cls.file)}:${p.line}`))].join(', ');
  return {
    member: `/** Java's class initialisation (${where}); the composition root calls it once, before making the beans. */\nstatic ${STATIC_INIT_METHOD}(): void {\n${body}\n}`,
    blocks,
  };
}

/** True when the class has static initialisation the composition root must run. */
export function hasStaticInit(cls: JavaClass): boolean {
  return cls.initializers.some((b) => b.kind === 'static') || cls.fields.some(isDeferredStaticField);
}
