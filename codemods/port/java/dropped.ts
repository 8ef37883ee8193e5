/**
 * What the port does not carry over, found before translating: initializer blocks, annotations with behaviour
 * the translators do not implement, startup runners, `@Bean` methods, the members of the application class.
 * Each becomes a `TODO(migrate)` comment in the generated code and an entry in the port report, so nothing the
 * Java did is dropped without a word.
 */
import { getAnnotation, type JavaAnnotation, type JavaClass } from './model.ts';
import { isBeanRole, type ClassRole } from './roles.ts';
import { isInjectedField } from './classes.ts';
import { getStartupPhase } from './startup-hooks.ts';
import { fileName } from './members.ts';
import { commentJava } from './todo.ts';

/** A Java construct the generated code does not reproduce. */
export interface DroppedConstruct {
  /** Java file (relative to the service root) or config file. */
  file: string;
  line: number;
  /** Kind of construct, e.g. `static initializer`, `annotation @Scheduled`, `config key`. */
  construct: string;
  /** `Class.member`, or the config key. */
  member: string;
  why: string;
  java: string;
}

/** Bean Validation constraints the generated validators check (validation.ts). */
const VALIDATION = [
  'NotNull',
  'NotBlank',
  'NotEmpty',
  'Positive',
  'PositiveOrZero',
  'Negative',
  'Min',
  'Max',
  'Size',
] as const;

/** Annotations the translators implement, or that change nothing the generated code does. */
const CARRIED = {
  class: [
    'SpringBootApplication',
    'RestController',
    'Controller',
    'RestControllerAdvice',
    'ControllerAdvice',
    'Service',
    'Component',
    'Repository',
    'Configuration',
    'Entity',
    'Table',
    'RedisHash',
    'Data',
    'Value',
    'Getter',
    'Setter',
    'Builder',
    'AllArgsConstructor',
    'NoArgsConstructor',
    'RequiredArgsConstructor',
    'Slf4j',
    'ToString',
    'EqualsAndHashCode',
    'RequestMapping',
    'Validated',
    'FunctionalInterface',
    'SuppressWarnings',
    'Deprecated',
  ],
  method: [
    'Override',
    'GetMapping',
    'PostMapping',
    'PutMapping',
    'DeleteMapping',
    'PatchMapping',
    'RequestMapping',
    'ExceptionHandler',
    'ResponseStatus',
    'PreDestroy',
    // @Query methods are TODOs of their own (jpa-repository.ts); an entity graph only changes fetching
    'Query',
    'EntityGraph',
    'Deprecated',
    'SuppressWarnings',
    'Valid',
  ],
  constructor: ['Autowired', 'Deprecated', 'SuppressWarnings'],
  field: [
    'Id',
    'GeneratedValue',
    'Column',
    'JoinColumn',
    'ManyToOne',
    'OneToOne',
    'OneToMany',
    // join tables are read and written by the repository (jpa-relations.ts)
    'ManyToMany',
    'JoinTable',
    'OrderBy',
    'Transient',
    ...VALIDATION,
    'Valid',
    'Getter',
    'Setter',
    'Deprecated',
    // a data class's toJSON writes the name and a request body is read by it (jackson-properties.ts)
    'JsonProperty',
  ],
  param: [
    // named JPQL parameters of translated @Query methods; an untranslated @Query is a TODO of its own
    'Param',
    'PathVariable',
    'RequestParam',
    'RequestBody',
    'RequestHeader',
    'Valid',
    'Validated',
    'Value',
    ...VALIDATION,
  ],
} as const satisfies Record<string, readonly string[]>;

/** Why an annotation's behaviour is missing, for the ones users meet most; the rest get a generic reason. */
const WHY: Record<string, string> = {
  Autowired: 'the field is never injected (the composition root injects constructor parameters only)',
  Value: 'the field is never set from the configuration (only constructor parameters are)',
  Bean: 'the bean this method makes is never created or injected (its body does not translate)',
  EventListener: 'the listener is never called (no application events in the generated code)',
  Scheduled: 'the method is never scheduled',
  Async: 'the method runs on the caller’s turn, not on another thread',
  PostConstruct: 'the method is not called after construction',
  Transactional: 'the method’s repository calls are not wrapped in one transaction',
  Cacheable: 'results are not cached',
  CacheEvict: 'no cache is evicted',
  Retryable: 'failures are not retried',
  KafkaListener: 'the listener is never subscribed',
  RabbitListener: 'the listener is never subscribed',
  JmsListener: 'the listener is never subscribed',
  PreAuthorize: 'the access check is not made',
  Secured: 'the access check is not made',
  Profile: 'the bean is created whatever profile is active',
  JsonProperty: 'the JSON property name is not applied',
  JsonIgnore: 'the property is not left out of JSON',
  JsonFormat: 'the JSON format is not applied',
  Enumerated: 'the enum is stored as the generated code decides, not as mapped',
};

const RUNNERS: Record<string, string> = {
  CommandLineRunner: 'run(String...) is never called at startup',
  ApplicationRunner: 'run(ApplicationArguments) is never called at startup',
  ApplicationListener: 'onApplicationEvent is never called (no application events in the generated code)',
  InitializingBean: 'afterPropertiesSet() is never called after construction',
  SmartLifecycle: 'start()/stop() are never called',
};

function annotationText(a: JavaAnnotation): string {
  const args = Object.entries(a.args).map(([k, v]) => (k === 'value' ? v : `${k} = ${v}`));
  return `@${a.name}${args.length > 0 ? `(${args.join(', ')})` : ''}`;
}

function isCarried(a: JavaAnnotation, kind: keyof typeof CARRIED): boolean {
  if (a.name === 'Transactional')
    return /readOnly\s*=\s*true/.test(a.args.readOnly ?? '') || a.args.readOnly === 'true';
  return (CARRIED[kind] as readonly string[]).includes(a.name);
}

/** The constructs of `cls` the port does not carry over. */
export function findDroppedConstructs(cls: JavaClass, role: ClassRole): DroppedConstruct[] {
  const found: DroppedConstruct[] = [];
  const add = (line: number, construct: string, member: string, why: string, java: string): void => {
    found.push({
      file: cls.file,
      line,
      construct,
      member: `${cls.name}${member === '' ? '' : `.${member}`}`,
      why,
      java,
    });
  };
  const annotations = (
    list: readonly JavaAnnotation[],
    kind: keyof typeof CARRIED,
    line: number,
    member: string,
    java: string,
  ): void => {
    for (const a of list) {
      if (isCarried(a, kind)) continue;
      if (a.name === 'Bean' && kind === 'method') continue; // reported as a bean method below
      const why = WHY[a.name] ?? `@${a.name} has no counterpart in the generated code`;
      add(line, `annotation @${a.name}`, member, why, `${annotationText(a)} ${java}`.trim());
    }
  };
  for (const block of cls.initializers) {
    const construct = block.kind === 'other' ? 'nested annotation type' : `${block.kind} initializer`;
    const why =
      block.kind === 'static'
        ? 'the static initializer block does not translate, so it is not run: do its work in the composition root'
        : block.kind === 'instance'
          ? 'the instance initializer block is not run: do its work in the constructor'
          : 'annotation types are not translated';
    add(block.line, construct, block.kind === 'static' ? '<clinit>' : '<init>', why, block.text);
  }
  annotations(cls.annotations, 'class', cls.line, '', `class ${cls.name}`);
  const composed = role === 'bean' || role === 'controller' || role === 'advice';
  for (const type of cls.interfaces) {
    const why = RUNNERS[type.name];
    const run = cls.methods.find((m) => m.name === 'run');
    if (why === undefined) continue;
    // main.ts and the component run a runner bean's run() at startup (startup-hooks.ts)
    if (composed && run !== undefined && getStartupPhase(cls, run) === 'runner') continue;
    add(cls.line, `${type.name} bean`, '', why, `class ${cls.name} implements ${type.name}`);
  }
  for (const m of cls.methods) {
    const head =
      m.text
        .split('\n')
        .find((l) => !l.trim().startsWith('@'))
        ?.trim() ?? m.name;
    if (getAnnotation(m, 'Bean') !== undefined) {
      add(m.line, 'bean method', m.name, WHY.Bean ?? '', m.text);
    } else if (role === 'application' && !(m.name === 'main' && m.modifiers.includes('static'))) {
      add(
        m.line,
        'member',
        m.name,
        'methods of the application class are not carried (main.ts replaces it)',
        m.text,
      );
      continue;
    }
    // a startup listener is run by main.ts and the component (startup-hooks.ts)
    const hook = composed ? getStartupPhase(cls, m) : undefined;
    annotations(
      hook === undefined ? m.annotations : m.annotations.filter((a) => a.name !== 'EventListener'),
      'method',
      m.line,
      m.name,
      head,
    );
    for (const p of m.params) annotations(p.annotations, 'param', p.line, m.name, `${p.type.name} ${p.name}`);
  }
  for (const c of cls.constructors) {
    if (role === 'application') {
      add(
        c.line,
        'member',
        'constructor',
        'the application class is not carried (main.ts replaces it)',
        c.text,
      );
      continue;
    }
    annotations(c.annotations, 'constructor', c.line, 'constructor', `${cls.name}(…)`);
    for (const p of c.params)
      annotations(p.annotations, 'param', p.line, 'constructor', `${p.type.name} ${p.name}`);
  }
  for (const f of cls.fields) {
    const java = f.text ?? `${f.type.name} ${f.name}`;
    if (role === 'application') {
      add(
        f.line,
        'member',
        f.name,
        'fields of the application class are not carried (main.ts replaces it)',
        java,
      );
      continue;
    }
    // the composition root sets the injected fields of the beans it makes (see composition-root.ts)
    const carried =
      isBeanRole(role) && role !== 'jpa-repository' && role !== 'redis-repository' && isInjectedField(f);
    const list = carried
      ? f.annotations.filter((a) => !['Autowired', 'Inject', 'Value'].includes(a.name))
      : f.annotations;
    annotations(list, 'field', f.line, f.name, `${f.type.name} ${f.name}`);
  }
  for (const c of cls.components) {
    // a request body is read by the name; an answer is an object literal of the interface, named as the component
    const property = getAnnotation(c, 'JsonProperty');
    if (property === undefined) continue;
    const why =
      'the JSON property name is read from request bodies, but not written: the record is an interface';
    add(
      c.line,
      'annotation @JsonProperty',
      c.name,
      why,
      `${annotationText(property)} ${c.type.name} ${c.name}`,
    );
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The TODO comments for constructs a generated file leaves out, put before its code ('' or lines ending in \n). */
export function renderDropped(dropped: readonly DroppedConstruct[]): string {
  if (dropped.length === 0) return '';
  return `${dropped
    .map(
      (d) =>
        `// TODO(migrate): ${d.construct} not carried over (${fileName(d.file)}:${d.line}): ${d.why}\n${commentJava(d.java)}`,
    )
    .join('\n')}\n`;
}
