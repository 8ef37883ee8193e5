/**
 * `@Bean` methods the composition root can call: those that translated without a TODO, in an application class
 * or a `@Configuration`/component bean. What they return is injected by type (like a bean class); a runner they
 * return (`CommandLineRunner`, `ApplicationRunner`) runs at startup. A bean method whose body does not translate
 * stays a dropped construct: calling it would throw while the service starts.
 */
import { getAnnotation, type JavaClass, type JavaMethod } from './model.ts';
import type { ClassRole } from './roles.ts';
import type { DroppedConstruct } from './dropped.ts';
import type { MethodOutcome } from './members.ts';
import type { ServiceContext } from './scope.ts';

const isBeanMethod = (m: JavaMethod): boolean =>
  getAnnotation(m, 'Bean') !== undefined && !m.modifiers.includes('static') && m.returnType !== undefined;

/**
 * The application class as the port keeps it when it has `@Bean` methods: those methods, its static helpers
 * and its fields (main.ts replaces the rest); undefined when it has none.
 */
export function getApplicationBeans(cls: JavaClass): JavaClass | undefined {
  if (!cls.methods.some(isBeanMethod)) return undefined;
  return {
    ...cls,
    methods: cls.methods.filter(
      (m) => isBeanMethod(m) || (m.modifiers.includes('static') && m.name !== 'main'),
    ),
    constructors: [],
    initializers: [],
  };
}

/** The `@Bean` methods of beans and of the application class that translated without a TODO. */
export function getCarriedBeanMethods(
  classes: ReadonlyMap<string, JavaClass>,
  roles: ReadonlyMap<string, ClassRole>,
  outcomes: readonly MethodOutcome[],
): { owner: JavaClass; method: JavaMethod }[] {
  const clean = new Set(outcomes.filter((o) => o.todos === 0).map((o) => o.member));
  return [...classes.values()]
    .filter((c) => roles.get(c.name) === 'bean' || roles.get(c.name) === 'application')
    .flatMap((owner) =>
      owner.methods
        .filter((m) => isBeanMethod(m) && clean.has(`${owner.name}.${m.name}`))
        .map((method) => ({ owner, method })),
    );
}

/**
 * True when a construct `findDroppedConstructs` reported was carried by the translation after all: a bean method
 * without a TODO, a static initializer that became `initStatics`, a member the application class kept.
 */
export function isCarriedConstruct(
  d: DroppedConstruct,
  cls: JavaClass,
  ctx: ServiceContext,
  outcomes: readonly MethodOutcome[],
): boolean {
  const clean = (member: string): boolean => outcomes.some((o) => o.member === member && o.todos === 0);
  switch (d.construct) {
    case 'bean method':
      return clean(d.member);
    case 'static initializer':
      return ctx.staticInits?.has(cls.name) === true;
    case 'member': {
      const name = d.member.slice(cls.name.length + 1);
      return clean(d.member) || cls.fields.some((f) => f.name === name && f.modifiers.includes('static'));
    }
    default:
      return false;
  }
}
