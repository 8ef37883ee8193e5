import { createAdminClient, type GatewayState } from '../../bridge/index.ts';
import {
  connectEngine,
  formatLocalStatus,
  getLocalStatus,
  type Engine,
  type LocalStatus,
  type UpState,
} from '../../deploy/local/index.ts';
import type { CommandContext } from '../command.ts';

/** The status of a local run: the engine and the gateway are asked, and either may be down. */
export async function readLocalStatus(
  state: UpState,
  context: CommandContext,
): Promise<LocalStatus & { gatewayState?: GatewayState }> {
  const engine: Engine | undefined = await connectEngine(state.dockerHost).catch(() => undefined);
  const gateway = await createAdminClient({
    url: state.gateway.admin,
    token: state.gateway.token,
    signal: context.signal,
  })
    .getState()
    .catch(() => undefined);
  const status = await getLocalStatus(state, engine, gateway);
  return { ...status, ...(gateway === undefined ? {} : { gatewayState: gateway }) };
}

/** Prints a local status: `--json` one document (`schemaVersion` 1, `kind: local`), else text. */
export async function reportLocalStatus(
  context: CommandContext,
  status: LocalStatus & { gatewayState?: GatewayState },
  upSeconds: number | undefined,
): Promise<void> {
  const { gatewayState: _gateway, ...local } = status;
  if (context.output.json)
    await context.output.resultJson({
      schemaVersion: '1',
      kind: 'local',
      ...local,
      ...(upSeconds === undefined ? {} : { upSeconds: Number(upSeconds.toFixed(1)) }),
    });
  else
    await context.output.result(
      `${formatLocalStatus(local)}${upSeconds === undefined ? '' : `\nup in ${upSeconds.toFixed(1)} s; migrate shift <route> <0-100> moves traffic, migrate down stops everything`}`,
    );
}
