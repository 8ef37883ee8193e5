/** Labels on every object `migrate` generates: `prune`/`down` select exactly these and nothing else. */
export const MANAGED_BY = 'migrate';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_ESTATE = 'migrate.dev/estate';
export const LABEL_SERVICE = 'migrate.dev/service';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';

/** The label selector that matches everything `migrate` manages for one estate. */
export function getManagedSelector(estate: string): string {
  return `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_ESTATE}=${toLabelValue(estate)}`;
}

/** Labels of one generated object; `service` is the estate's service id, or a role such as `gateway`. */
export function createLabels(estate: string, service: string, component: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_ESTATE]: toLabelValue(estate),
    [LABEL_SERVICE]: toLabelValue(service),
    [LABEL_COMPONENT]: toLabelValue(component),
  };
}

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function toLabelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned === '' ? 'x' : cleaned;
}

/** A DNS-1123 label (object names of Services, SpinApps…): lower case, at most 63 characters. */
export function toDnsLabel(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'x' : cleaned;
}
