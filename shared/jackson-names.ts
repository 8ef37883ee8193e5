/**
 * Jackson's JSON property names for Java beans, as Spring Boot's ObjectMapper writes them. Jackson names a
 * property after its getter, not its field: `isX()` counts only for a primitive `boolean`, and the name is the
 * getter's suffix with its leading capitals lowered (`getURL` → `url`, `getXCoordinate` → `xcoordinate`). Lombok
 * writes `isX()` for `boolean x`, keeps `isActive()` for `boolean isActive`, and `getIsActive()` for `Boolean
 * isActive`. Records are named by their components, which need none of this.
 */

/** The getter Lombok's `@Getter`/`@Data`/`@Value` writes for a field. */
export function getLombokGetterName(field: string, type: string): string {
  if (type === 'boolean') return /^is[A-Z]/.test(field) ? field : `is${upperFirst(field)}`;
  return `get${upperFirst(field)}`;
}

/** The property Jackson reads from a getter, or undefined when Jackson does not take it for one. */
export function getJacksonPropertyOfGetter(getter: string, returnType: string): string | undefined {
  const match = /^(get|is)([A-Z].*)$/.exec(getter);
  if (!match?.[2]) return undefined;
  if (match[1] === 'is' && returnType !== 'boolean') return undefined;
  return lowerLeadingCapitals(match[2]);
}

/** The JSON name of a field whose getter Lombok writes: `boolean isActive` → `active`, `xCoordinate` → `xcoordinate`. */
export function getJacksonFieldName(field: string, type: string): string {
  return getJacksonPropertyOfGetter(getLombokGetterName(field, type), type) ?? field;
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Jackson's default (legacy) mangling: every leading upper-case letter becomes lower case. */
function lowerLeadingCapitals(name: string): string {
  let i = 0;
  while (i < name.length && name.charAt(i) !== name.charAt(i).toLowerCase()) i++;
  return name.slice(0, i).toLowerCase() + name.slice(i);
}
