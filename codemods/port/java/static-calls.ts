/** Calls on Java library classes (`List.of`, `UUID.randomUUID`, `Comparator.comparing`, …) and on service classes. */
import type { Node } from 'web-tree-sitter';
import { classRef, translateExpr } from './expressions.ts';
import { translateArg } from './calls.ts';
import type { Scope } from './scope.ts';
import { Untranslatable } from './todo.ts';

interface StaticCall {
  node: Node;
  object: Node | undefined;
  name: string;
  argNodes: Node[];
  /** The class's simple name when the call spells it fully qualified (`java.time.Duration`). */
  owner?: string;
}

/** `Executors` factories: a stand-in executor (JavaScript runs the tasks on its event loop). */
const EXECUTOR_FACTORIES = new Set([
  'newFixedThreadPool',
  'newCachedThreadPool',
  'newSingleThreadExecutor',
  'newWorkStealingPool',
  'newVirtualThreadPerTaskExecutor',
  'newScheduledThreadPool',
]);

export function translateStaticCall(call: StaticCall, scope: Scope): string {
  const owner = call.owner ?? call.object?.text ?? '';
  if (owner === 'Executors' && EXECUTOR_FACTORIES.has(call.name)) {
    scope.imports.useRuntime('java', 'ExecutorService');
    return 'new ExecutorService()';
  }
  const a = (): string[] => call.argNodes.map((x) => translateArg(x, scope));
  const key = `${owner}.${call.name}`;
  switch (key) {
    case 'List.of':
    case 'Arrays.asList':
    case 'Stream.of': {
      // one array argument is the varargs array itself: `List.of(text.split(","))` lists its elements
      const only = call.argNodes.length === 1 ? call.argNodes[0] : undefined;
      if (only?.type === 'method_invocation' && only.childForFieldName('name')?.text === 'split')
        return `[...${a()[0]}]`;
      return `[${a().join(', ')}]`;
    }
    case 'List.copyOf':
    case 'Collections.unmodifiableList':
      return `[...${a()[0]}]`;
    case 'Collections.emptyList':
      return '[]';
    case 'Set.of':
      return `new Set([${a().join(', ')}])`;
    case 'Map.of': {
      const values = a();
      const pairs: string[] = [];
      for (let i = 0; i + 1 < values.length; i += 2) pairs.push(`[${values[i]}, ${values[i + 1]}]`);
      return `new Map([${pairs.join(', ')}])`;
    }
    case 'Collections.emptyMap':
      return 'new Map()';
    case 'UUID.randomUUID':
      scope.imports.useModule('node:crypto', 'randomUUID');
      return 'randomUUID()';
    case 'Instant.now':
    case 'LocalDateTime.now':
    case 'OffsetDateTime.now':
    case 'ZonedDateTime.now':
      return 'new Date()';
    case 'System.currentTimeMillis':
      return 'Date.now()';
    case 'String.join': {
      const [sep, ...rest] = call.argNodes;
      if (!sep) break;
      const parts = rest.map((x) => translateExpr(x, scope));
      return rest.length === 1
        ? `${parts[0]}.join(${translateExpr(sep, scope)})`
        : `[${parts.join(', ')}].join(${translateExpr(sep, scope)})`;
    }
    case 'Boolean.parseBoolean':
      return `(String(${a()[0]}).toLowerCase() === 'true')`;
    case 'Long.toString':
    case 'Integer.toString':
      return `String(${a()[0]})`;
    case 'String.valueOf':
      return `String(${a()[0]})`;
    case 'Objects.equals':
      return `${a()[0]} === ${a()[1]}`;
    case 'Objects.isNull':
      return `${a()[0]} == null`;
    case 'Objects.nonNull':
      return `${a()[0]} != null`;
    case 'Objects.requireNonNull':
      scope.imports.useRuntime('java', 'orElseThrow');
      return call.argNodes.length > 1
        ? `orElseThrow(${a()[0]}, () => new Error(${a()[1]}))`
        : `orElseThrow(${a()[0]})`;
    case 'Integer.parseInt':
    case 'Integer.valueOf':
    case 'Long.parseLong':
    case 'Long.valueOf':
    case 'Double.parseDouble':
    case 'Double.valueOf':
    case 'BigDecimal.valueOf':
      return `Number(${a()[0]})`;
    case 'Duration.ofSeconds':
      return `${a()[0]} * 1000`;
    case 'Duration.ofMillis':
      return `${a()[0]}`;
    case 'Function.identity':
      return '(value) => value';
    case 'Comparator.comparing':
      scope.imports.useRuntime('java', 'comparing');
      return `comparing(${a().join(', ')})`;
    case 'Comparator.naturalOrder':
      scope.imports.useRuntime('java', 'compareNatural');
      return 'compareNatural';
    case 'Comparator.reverseOrder':
      scope.imports.useRuntime('java', 'compareNatural');
      return '(a, b) => compareNatural(b, a)';
    case 'StreamSupport.stream': {
      const source = call.argNodes[0];
      const iterable =
        source?.type === 'method_invocation' && source.childForFieldName('name')?.text === 'spliterator'
          ? source.childForFieldName('object')
          : source;
      if (!iterable) break;
      return `[...${translateExpr(iterable, scope)}]`;
    }
    case 'HttpStatus.valueOf':
      scope.imports.useRuntime('spring-web', 'httpStatusOf');
      return `httpStatusOf(${a()[0]})`;
  }
  if (['Math'].includes(owner)) return `Math.${call.name}(${a().join(', ')})`;
  if (owner === 'LoggerFactory') return 'log';
  const cls = scope.ctx.classes.get(owner);
  if (cls) {
    const method = cls.methods.find((m) => m.name === call.name && m.modifiers.includes('static'));
    if (method) return `${classRef(owner, scope)}.${call.name}(${a().join(', ')})`;
    if (cls.annotations.some((x) => x.name === 'Builder') && call.name === 'builder') {
      throw new Untranslatable('builder chain not ending in build()', call.node);
    }
  }
  if (['ResponseEntity', 'Nats', 'RestClient', 'WebClient'].includes(owner))
    return `${classRef(owner, scope)}.${call.name}(${a().join(', ')})`;
  throw new Untranslatable(`${key}() has no known TypeScript equivalent`, call.node);
}
