/**
 * `migrate rollout`'s progress on a terminal: a live task list (listr2) with one task per service of the plan,
 * its current step as the title and what the step waits for as its output line. The conductor drives it through
 * its events; services a run does not reach are skipped with why. Rendered on stderr; listr2's own signal
 * handling is off, so Ctrl+C stays the CLI's (exit 130, resume later).
 */
import {
  Listr,
  ListrLogger,
  ProcessOutput,
  DefaultRenderer,
  type ListrTaskWrapper,
  type SimpleRenderer,
} from 'listr2';
import type { Plan } from '../../planner/index.ts';
import type { RolloutEvent, ServiceProgress } from '../../rollout/index.ts';

/**
 * listr2 picks its live renderer only when stdout is a terminal; ours draws on stderr (the report goes to stdout,
 * often a file or a pipe), which the caller has checked is a terminal.
 */
class StderrRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

type Wrapper = ListrTaskWrapper<unknown, typeof StderrRenderer, typeof SimpleRenderer>;

interface ServiceTask {
  wrapper?: Wrapper;
  title: string;
  output?: string;
  settle: (error?: Error) => void;
  settled: boolean;
}

export interface RolloutTaskList {
  onEvent(event: RolloutEvent): void;
  /** Settles the tasks the run did not finish, and waits until the list has drawn its last frame. */
  close(): Promise<void>;
}

export function createRolloutTaskList(
  plan: Plan,
  progress: readonly ServiceProgress[],
  stderr: NodeJS.WriteStream,
): RolloutTaskList {
  const tasks = new Map<string, ServiceTask>();
  const output = new ProcessOutput(stderr, stderr);
  const apply = (t: ServiceTask): void => {
    if (t.wrapper === undefined) return;
    t.wrapper.title = t.title;
    if (t.output !== undefined) t.wrapper.output = t.output;
  };
  const list = new Listr(
    progress.map((p) => {
      const steps = plan.services.find((s) => s.id === p.service)?.steps.length ?? 0;
      return {
        title: `${p.service} (wave ${p.wave})`,
        skip: () =>
          p.status === 'completed'
            ? `${p.service}: completed earlier`
            : p.status === 'rolled-back' || p.status === 'frozen' || p.status === 'aborted'
              ? `${p.service}: ${p.status} earlier (step ${p.nextStep + 1} of ${steps}); needs a decision`
              : false,
        task: (_: unknown, wrapper: Wrapper) =>
          new Promise<void>((resolve, reject) => {
            const t: ServiceTask = {
              title: `${p.service} (wave ${p.wave}): waiting for its wave`,
              settled: false,
              settle: (error) => {
                t.settled = true;
                if (error === undefined) resolve();
                else reject(error);
              },
            };
            const earlier = tasks.get(p.service);
            Object.assign(t, earlier === undefined ? {} : { title: earlier.title, output: earlier.output });
            t.wrapper = wrapper;
            tasks.set(p.service, t);
            apply(t);
          }),
      };
    }),
    {
      renderer: StderrRenderer,
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { logger: new ListrLogger({ processOutput: output }) },
      fallbackRendererOptions: { logger: new ListrLogger({ processOutput: output }) },
    },
  );
  const running = list.run().catch(() => undefined);
  const task = (service: string): ServiceTask => {
    let t = tasks.get(service);
    if (t === undefined) {
      t = { title: service, settled: false, settle: () => undefined };
      tasks.set(service, t);
    }
    return t;
  };
  return {
    onEvent(event) {
      const t = task(event.service);
      switch (event.type) {
        case 'step-started':
          t.title = `${event.service}: ${event.step} (route ${event.route})`;
          t.output = 'starting';
          break;
        case 'step-waiting':
          t.output = event.reason;
          break;
        case 'step-passed':
          t.output = `${event.step} passed`;
          break;
        case 'step-breached': {
          const failed = event.checks.filter((c) => !c.ok && c.gate !== 'hold' && c.gate !== 'minSamples');
          t.settle(
            new Error(
              `${event.service}: ${event.step} BREACHED (${failed.map((c) => `${c.gate} ${c.value ?? '-'} over ${c.threshold}`).join(', ')})`,
            ),
          );
          break;
        }
        case 'service-completed':
          t.title = `${event.service}: at 100%`;
          apply(t);
          t.settle();
          return;
      }
      apply(t);
    },
    async close() {
      for (const t of tasks.values()) {
        if (t.settled || t.wrapper === undefined) continue;
        t.wrapper.skip(`${t.title.split(':')[0]}: not moved in this run`);
        t.settle();
      }
      await running;
    },
  };
}
