/**
 * The relations of a JPA entity in the generated repository: `@ManyToOne`/`@OneToOne` references loaded by their
 * foreign key and written from the referenced entity's id (checked as Hibernate checks them), `@OneToMany(mappedBy)`
 * children loaded by theirs, `@ManyToMany` sets read and written through the join table.
 */
import { getAnnotation, type JavaClass } from './model.ts';
import {
  fromColumn,
  resolveEntityMapping,
  type ColumnMapping,
  type EntityMapping,
} from './entity-mapping.ts';
import { isNumberType, isSetType } from './types.ts';

/** Everything a repository needs about the entities its entity points at. */
export interface Relations {
  m: EntityMapping;
  /** The mapping of each related entity by class name (references, children, many-to-many). */
  related: ReadonlyMap<string, EntityMapping>;
}

export function resolveRelations(m: EntityMapping, classes: ReadonlyMap<string, JavaClass>): Relations {
  const related = new Map<string, EntityMapping>();
  const names = [
    ...m.columns.filter((c) => c.reference).map((c) => c.field.type.name),
    ...m.children.map((c) => c.entity),
    ...m.manyToMany.map((c) => c.entity),
  ];
  for (const name of names) {
    const cls = classes.get(name);
    if (cls && !related.has(name)) related.set(name, resolveEntityMapping(cls, classes));
  }
  return { m, related };
}

export function selectList(m: EntityMapping, alias?: string): string {
  return m.columns.map((c) => (alias ? `${alias}.${c.column}` : c.column)).join(', ');
}

/** The id field of an entity mapping (`id` when it has none, which JPA would refuse). */
export function idFieldOf(m: EntityMapping | undefined): string {
  return m?.id?.field.name ?? 'id';
}

/** A map key for an id read from a row: pg returns bigint as a string, the entity holds a number. */
function keyOf(m: EntityMapping | undefined, value: string): string {
  return m?.id === undefined || isNumberType(m.id.field.type) ? `Number(${value})` : `String(${value})`;
}

/** A reference's value for its foreign key column: the referenced entity's id, or null. */
export function referenceValue(r: Relations, c: ColumnMapping, target: string): string {
  return `${target}.${c.field.name}?.${idFieldOf(r.related.get(c.field.type.name))} ?? null`;
}

/** A reference JPA will not write: `optional = false` or `@JoinColumn(nullable = false)`. */
function isRequired(c: ColumnMapping): boolean {
  const many = getAnnotation(c.field, 'ManyToOne') ?? getAnnotation(c.field, 'OneToOne');
  return many?.args.optional === 'false' || getAnnotation(c.field, 'JoinColumn')?.args.nullable === 'false';
}

/**
 * Hibernate's checks before it writes a reference: a required reference that is null, or one whose entity was
 * never saved (no id), fails the save instead of writing a wrong foreign key.
 */
export function referenceChecks(r: Relations, target: string, skip?: string): string[] {
  return r.m.columns
    .filter((c) => c.reference && c.field.name !== skip)
    .flatMap((c) => {
      const ref = `${target}.${c.field.name}`;
      const what = `${r.m.cls.name}.${c.field.name}`;
      const idField = idFieldOf(r.related.get(c.field.type.name));
      const checks = [
        `if (${ref} != null && ${ref}.${idField} == null) throw new Error(${JSON.stringify(`object references an unsaved transient instance: ${what} (save the ${c.field.type.name} first)`)});`,
      ];
      if (isRequired(c))
        checks.unshift(
          `if (${ref} == null) throw new Error(${JSON.stringify(`not-null property references a null or transient value: ${what}`)});`,
        );
      return checks;
    });
}

function loadReferences(r: Relations): string[] {
  return r.m.columns
    .filter((c) => c.reference)
    .flatMap((c) => {
      const target = r.related.get(c.field.type.name);
      if (!target) return [];
      const key = JSON.stringify(c.column);
      return [
        `// @ManyToOne ${c.field.name}: the referenced ${target.cls.name} rows, one query (its own relations are not loaded)
{
const ids = [...new Set(rows.map((row) => row[${key}] as string | number | null).filter((id) => id != null))];
const result = ids.length === 0 ? [] : ((await this.pool.query(\`SELECT ${selectList(target)} FROM ${target.table} WHERE ${target.id?.column ?? 'id'} = ANY($1)\`, [ids])).rows as Record<string, unknown>[]);
const byId = new Map(result.map((row) => [${keyOf(target, `row[${JSON.stringify(target.id?.column ?? 'id')}]`)}, to${target.cls.name}(row)]));
entities.forEach((entity, i) => {
const ref = byId.get(${keyOf(target, `rows[i]?.[${key}]`)});
if (ref !== undefined) entity.${c.field.name} = ref;
});
}`,
      ];
    });
}

function loadChildren(r: Relations): string[] {
  const idField = idFieldOf(r.m);
  return r.m.children.flatMap((child) => {
    const mapping = r.related.get(child.entity);
    if (!mapping) return [];
    const order = child.orderBy ? ` ORDER BY ${child.orderBy}` : '';
    const back = child.backReference ? `\nchild.${child.backReference} = parent;` : '';
    return [
      `// @OneToMany ${child.field.name}: by the children's ${child.foreignKey}
{
for (const e of entities) e.${child.field.name} = [];
const result = await this.pool.query(\`SELECT ${selectList(mapping)} FROM ${mapping.table} WHERE ${child.foreignKey} = ANY($1)${order}\`, [entities.map((e) => e.${idField})]);
for (const row of result.rows as Record<string, unknown>[]) {
const parent = byId.get(${keyOf(r.m, `row[${JSON.stringify(child.foreignKey)}]`)});
if (parent === undefined) continue;
const child = to${mapping.cls.name}(row);${back}
parent.${child.field.name}.push(child);
}
}`,
    ];
  });
}

function loadManyToMany(r: Relations): string[] {
  const idField = idFieldOf(r.m);
  return r.m.manyToMany.flatMap((mm) => {
    const other = r.related.get(mm.entity);
    if (!other) return [];
    const isSet = isSetType(mm.field.type);
    const order = getAnnotation(mm.field, 'OrderBy') ? ` ORDER BY t.${other.id?.column ?? 'id'}` : '';
    return [
      `// @ManyToMany ${mm.field.name}: through ${mm.joinTable}
{
for (const e of entities) e.${mm.field.name} = ${isSet ? 'new Set()' : '[]'};
const result = await this.pool.query(\`SELECT j.${mm.ownColumn} AS "owner__id", ${selectList(other, 't')} FROM ${mm.joinTable} j JOIN ${other.table} t ON t.${other.id?.column ?? 'id'} = j.${mm.otherColumn} WHERE j.${mm.ownColumn} = ANY($1)${order}\`, [entities.map((e) => e.${idField})]);
for (const row of result.rows as Record<string, unknown>[]) {
const parent = byId.get(${keyOf(r.m, `row['owner__id']`)});
if (parent !== undefined) parent.${mm.field.name}.${isSet ? 'add' : 'push'}(to${other.cls.name}(row));
}
}`,
    ];
  });
}

/** `fromRows(rows)`: the entities of `rows` with every relation loaded, one query per relation. */
export function renderFromRows(r: Relations): string {
  const name = r.m.cls.name;
  const parts = [...loadReferences(r), ...loadChildren(r), ...loadManyToMany(r)];
  const needsById = r.m.children.length > 0 || r.m.manyToMany.length > 0;
  const byId = needsById ? `\nconst byId = new Map(entities.map((e) => [e.${idFieldOf(r.m)}, e]));` : '';
  if (parts.length === 0)
    return `/** The entities of \`rows\` (${name} has no relations to load). */\n// eslint-disable-next-line @typescript-eslint/require-await\nprivate async fromRows(rows: Record<string, unknown>[]): Promise<${name}[]> {\nreturn rows.map(to${name});\n}`;
  return `/** The entities of \`rows\` with their relations loaded, one query per relation. */
private async fromRows(rows: Record<string, unknown>[]): Promise<${name}[]> {
const entities = rows.map(to${name});
if (entities.length === 0) return entities;${byId}
${parts.join('\n')}
return entities;
}`;
}

/** After the entity's row is written: its owning `@ManyToMany` sets replace their join table rows. */
export function renderJoinTableWrites(r: Relations): string[] {
  const idField = idFieldOf(r.m);
  return r.m.manyToMany
    .filter((mm) => mm.owning)
    .map((mm) => {
      const otherId = idFieldOf(r.related.get(mm.entity));
      const what = `${r.m.cls.name}.${mm.field.name}`;
      return `// @ManyToMany ${mm.field.name}: the join table holds exactly the set's pairs
await client.query('DELETE FROM ${mm.joinTable} WHERE ${mm.ownColumn} = $1', [entity.${idField}]);
for (const other of entity.${mm.field.name}) {
if (other.${otherId} == null) throw new Error(${JSON.stringify(`object references an unsaved transient instance: ${what} (save the ${mm.entity} first)`)});
await client.query('INSERT INTO ${mm.joinTable} (${mm.ownColumn}, ${mm.otherColumn}) VALUES ($1, $2)', [entity.${idField}, other.${otherId}]);
}`;
    });
}

/** Before the entity's row is deleted: its owning join table rows go first, as Hibernate deletes them. */
export function renderJoinTableDeletes(r: Relations): string[] {
  return r.m.manyToMany
    .filter((mm) => mm.owning)
    .map((mm) => `await this.pool.query('DELETE FROM ${mm.joinTable} WHERE ${mm.ownColumn} = $1', [id]);`);
}

/** A row mapper: the entity's own columns (relations are set by `fromRows`). */
export function renderRowMapper(m: EntityMapping): string {
  const name = m.cls.name;
  const assigns = m.columns
    .filter((c) => !c.reference)
    .map((c) => `entity.${c.field.name} = ${fromColumn(c, 'row')};`);
  return `function to${name}(row: Record<string, unknown>): ${name} {\nconst entity = new ${name}();\n${assigns.join('\n')}\nreturn entity;\n}`;
}
