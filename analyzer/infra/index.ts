/**
 * The infra readers the analyzer core runs, in this order. Adding a reader is adding a file and one line here.
 * Readers that talk to a live engine (`docker-live`) return nothing unless `context.docker` is set.
 */
import { composeReader } from './compose.ts';
import { dockerLiveReader } from './docker-live.ts';
import { dockerfileReader } from './dockerfile.ts';
import { k8sReader } from './k8s.ts';
import { propertiesReader } from './properties.ts';
import type { InfraReader } from './types.ts';

export const INFRA_READERS: readonly InfraReader[] = [
  dockerfileReader,
  composeReader,
  k8sReader,
  propertiesReader,
  dockerLiveReader,
];
