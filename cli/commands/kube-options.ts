import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../deploy/kubernetes/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CommandContext } from '../command.ts';

/** `--kubernetes` and how to reach the cluster: shared by up, status, down and shift. */
export function configureClusterOptions(command: Command, withEstate: boolean): void {
  command.option('--kubernetes', 'on the Kubernetes cluster of the kubeconfig context (not this machine)');
  command.option('--context <name>', 'with --kubernetes: kubeconfig context (default: the current one)');
  command.option(
    '--kubeconfig <file>',
    'with --kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config)',
  );
  command.option('--namespace <ns>', 'with --kubernetes: namespace (default: the legacy Deployments’)');
  if (withEstate)
    command.option(
      '--estate <dir>',
      'with --kubernetes: the estate directory (its name is the label that selects what migrate applied)',
      '.',
    );
}

/** The kubeconfig and context the options name (errors say what to set). */
export function getKubeConfig(context: CommandContext, options: Record<string, unknown>): KubeConfig {
  return loadKubeConfig({
    ...(typeof options.kubeconfig === 'string'
      ? { kubeconfig: resolve(context.cwd, options.kubeconfig) }
      : {}),
    ...(typeof options.context === 'string' ? { context: options.context } : {}),
    env: context.env,
  });
}

/** The estate's name, as `migrate.dev/estate` carries it: the estate directory's base name. */
export function getEstateName(context: CommandContext, options: Record<string, unknown>): string {
  return basename(resolve(context.cwd, typeof options.estate === 'string' ? options.estate : '.'));
}

export function getNamespaceOption(options: Record<string, unknown>): string | undefined {
  return typeof options.namespace === 'string' ? options.namespace : undefined;
}

/** `--timeout <seconds>` as milliseconds. */
export function parseTimeoutMs(value: unknown): number {
  const ms = Number(value) * 1000;
  if (!(ms > 0))
    throw new AppError(
      ErrorCode.usage,
      `--timeout must be a positive number of seconds, got ${String(value)}`,
    );
  return ms;
}
