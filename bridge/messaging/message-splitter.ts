/**
 * The message side of the traffic shift. Once a subscribing service runs twice (its container and its
 * component), a plain subscription on both would handle every message twice. Instead each side subscribes a
 * subject of its own, and the splitter, subscribed to the original subject in a queue group (so that a second
 * splitter never forwards a message again), forwards each message to exactly one side: the side the route's
 * current weight picks. Headers and reply subjects are kept.
 */
import { connect, type NatsConnection, type Subscription } from 'nats';
import { z } from 'zod';
import { wrapError, ErrorCode } from '../../shared/errors.ts';
import type { Side } from '../gateway/config-schema.ts';
import { createWeightedChoice } from './weighted-choice.ts';

export const messageSplitConfigSchema = z
  .object({
    /** NATS server the subjects live on. */
    nats: z.string().min(1),
    /** Queue group of the splitter's subscriptions (one per run). */
    queue: z.string().min(1),
    splits: z
      .array(
        z
          .object({
            /** Gateway route whose weight decides, e.g. `notification`. */
            route: z.string().min(1),
            /** The subject publishers use. */
            subject: z.string().min(1),
            /** Where the container side listens. */
            container: z.string().min(1),
            /** Where the component listens. */
            wasm: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type MessageSplitConfig = z.infer<typeof messageSplitConfigSchema>;

export interface SplitCounts {
  container: number;
  wasm: number;
}

export interface MessageSplitter {
  /** Messages forwarded per route and side since start. */
  counts(): Record<string, SplitCounts>;
  close(): Promise<void>;
}

/** Starts forwarding; `getWeight(route)` is asked for every message (keep it cheap: a cached value). */
export async function startMessageSplitter(
  config: MessageSplitConfig,
  getWeight: (route: string) => number,
): Promise<MessageSplitter> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: config.nats, name: `migrate-split ${config.queue}` });
  } catch (error) {
    throw wrapError(ErrorCode.backend, `cannot connect to NATS at ${config.nats}`, error);
  }
  const counts: Record<string, SplitCounts> = {};
  const subscriptions: Subscription[] = [];
  for (const split of config.splits) {
    const choose = createWeightedChoice();
    const count = (counts[split.route] ??= { container: 0, wasm: 0 });
    const subscription = nc.subscribe(split.subject, { queue: config.queue });
    subscriptions.push(subscription);
    void (async () => {
      for await (const msg of subscription) {
        const side: Side = choose(getWeight(split.route));
        nc.publish(side === 'wasm' ? split.wasm : split.container, msg.data, {
          ...(msg.headers === undefined ? {} : { headers: msg.headers }),
          ...(msg.reply === undefined || msg.reply === '' ? {} : { reply: msg.reply }),
        });
        count[side] += 1;
      }
    })();
  }
  // the subscriptions are registered with the server once this round trip returns
  await nc.flush();
  return {
    counts: () => structuredClone(counts),
    async close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await nc.drain().catch(() => undefined);
    },
  };
}
