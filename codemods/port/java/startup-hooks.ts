/**
 * Spring Boot's startup hooks, in its order: `@EventListener(ContextRefreshedEvent)` methods, runners
 * (`CommandLineRunner`/`ApplicationRunner` beans' `run`, and the runners `@Bean` methods make), then
 * `@EventListener(ApplicationReadyEvent)` methods. main.ts runs them once the server listens; the component runs
 * them once, when it composes (before its first request is handled).
 */
import { getAnnotation, type JavaClass, type JavaMethod } from './model.ts';
import { lowerFirst } from './names.ts';

/** Where a startup hook runs, in Spring Boot's order: context refreshed, runners, application ready. */
export type StartupPhase = 'refreshed' | 'runner' | 'ready';

const RUNNER_INTERFACES = ['CommandLineRunner', 'ApplicationRunner'];

/**
 * The startup hook a method of a bean is: `run` of a CommandLineRunner/ApplicationRunner, or a parameterless
 * `@EventListener` for ContextRefreshedEvent or ApplicationReadyEvent.
 */
export function getStartupPhase(cls: JavaClass, method: JavaMethod): StartupPhase | undefined {
  if (method.name === 'run' && cls.interfaces.some((i) => RUNNER_INTERFACES.includes(i.name)))
    return 'runner';
  const listener = getAnnotation(method, 'EventListener');
  if (listener === undefined || method.params.length > 0) return undefined;
  const events = `${listener.args.value ?? ''} ${listener.args.classes ?? ''}`;
  if (/\bApplicationReadyEvent\b/.test(events)) return 'ready';
  if (/\bContextRefreshedEvent\b/.test(events)) return 'refreshed';
  return undefined;
}

/**
 * The statements of one phase. `beans` are the composed classes; `runners` the variables holding the runners
 * `@Bean` methods made (run with the runner beans, after them as Spring orders unordered runners by bean name…
 * close enough: neither order is a contract). `args` is the command line expression.
 */
export function getStartupHooks(
  beans: readonly JavaClass[],
  runners: readonly string[],
  phase: StartupPhase,
  args: string,
): string[] {
  const hooks = beans.flatMap((c) =>
    c.methods
      .filter((m) => getStartupPhase(c, m) === phase)
      .map((m) => `await ${lowerFirst(c.name)}.${m.name}(${m.params.length > 0 ? args : ''});`),
  );
  if (phase === 'runner') hooks.push(...runners.map((r) => `await ${r}(${args});`));
  return hooks;
}
