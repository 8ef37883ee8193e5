/** Spring's default physical naming: `orderLineItems` → `order_line_items`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `OrderService` → `order-service`, for file names. */
export function toKebabCase(name: string): string {
  return toSnakeCase(name).replaceAll('_', '-');
}

/** The property a Java bean accessor stands for: `getOrderNumber` → `orderNumber`, `isActive` → `active`. */
export function getPropertyOfAccessor(name: string): string | undefined {
  const match = /^(get|is|set)([A-Z].*)$/.exec(name);
  return match?.[2] === undefined ? undefined : lowerFirst(match[2]);
}
