/** How a JPA entity maps to a table: columns from `@Column`/`@JoinColumn` or Spring's snake_case naming. */
import { getAnnotation, hasAnnotation, type JavaClass, type JavaVariable } from './model.ts';
import { toSnakeCase } from './names.ts';
import { isBooleanType, isDateType, isNumberType, getElementType } from './types.ts';

export interface ColumnMapping {
  field: JavaVariable;
  column: string;
  id: boolean;
  generated: boolean;
  /** `@ManyToOne`: the column holds the id of this field's entity. */
  reference: boolean;
}

export interface ChildMapping {
  field: JavaVariable;
  entity: string;
  /** The child's foreign key column pointing at the parent. */
  foreignKey: string;
  /** The child's field holding the parent (`mappedBy`). */
  backReference: string | undefined;
  orderBy: string | undefined;
}

/** `@ManyToMany`: rows of a join table pair this entity's id with the other entity's. */
export interface ManyToManyMapping {
  field: JavaVariable;
  entity: string;
  joinTable: string;
  /** The join table's column holding this entity's id. */
  ownColumn: string;
  /** The join table's column holding the other entity's id. */
  otherColumn: string;
  /** False on the `mappedBy` side: JPA writes the join table only from the owning side. */
  owning: boolean;
}

export interface EntityMapping {
  cls: JavaClass;
  table: string;
  columns: ColumnMapping[];
  id: ColumnMapping | undefined;
  children: ChildMapping[];
  manyToMany: ManyToManyMapping[];
}

function joinColumnName(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /name\s*=\s*"([^"]+)"/.exec(text)?.[1];
}

/**
 * The join table of an owning `@ManyToMany` field: `@JoinTable` names, else Spring Boot's implicit naming
 * (`<owner table>_<field>`, `<owner entity>_id`, `<field>_id`).
 */
function resolveJoinTable(
  owner: JavaClass,
  ownerTable: string,
  f: JavaVariable,
): { joinTable: string; ownColumn: string; otherColumn: string } {
  const a = getAnnotation(f, 'JoinTable');
  return {
    joinTable: unquote(a?.args.name) ?? `${ownerTable}_${toSnakeCase(f.name)}`,
    ownColumn: joinColumnName(a?.args.joinColumns) ?? `${toSnakeCase(owner.name)}_id`,
    otherColumn: joinColumnName(a?.args.inverseJoinColumns) ?? `${toSnakeCase(f.name)}_id`,
  };
}

function resolveManyToMany(
  cls: JavaClass,
  table: string,
  f: JavaVariable,
  classes: ReadonlyMap<string, JavaClass>,
): ManyToManyMapping | undefined {
  const entity = getElementType(f.type)?.name ?? '';
  const mappedBy = unquote(getAnnotation(f, 'ManyToMany')?.args.mappedBy);
  if (mappedBy === undefined) return { field: f, entity, ...resolveJoinTable(cls, table, f), owning: true };
  const other = classes.get(entity);
  const ownerField = other?.fields.find((of) => of.name === mappedBy);
  if (!other || !ownerField) return undefined;
  const otherTable = unquote(getAnnotation(other, 'Table')?.args.name) ?? toSnakeCase(other.name);
  const join = resolveJoinTable(other, otherTable, ownerField);
  return {
    field: f,
    entity,
    joinTable: join.joinTable,
    ownColumn: join.otherColumn,
    otherColumn: join.ownColumn,
    owning: false,
  };
}

function unquote(text: string | undefined): string | undefined {
  return text?.replace(/^"|"$/g, '');
}

export function resolveEntityMapping(cls: JavaClass, classes: ReadonlyMap<string, JavaClass>): EntityMapping {
  const table = unquote(getAnnotation(cls, 'Table')?.args.name) ?? toSnakeCase(cls.name);
  const columns: ColumnMapping[] = [];
  const children: ChildMapping[] = [];
  const manyToMany: ManyToManyMapping[] = [];
  for (const f of cls.fields) {
    if (f.modifiers.includes('static') || f.modifiers.includes('transient') || hasAnnotation(f, 'Transient'))
      continue;
    // @ManyToMany has no column of its own: a join table
    if (hasAnnotation(f, 'ManyToMany')) {
      const mapping = resolveManyToMany(cls, table, f, classes);
      if (mapping) manyToMany.push(mapping);
      continue;
    }
    const oneToMany = getAnnotation(f, 'OneToMany');
    if (oneToMany) {
      const entity = getElementType(f.type)?.name ?? '';
      const mappedBy = unquote(oneToMany.args.mappedBy);
      const child = classes.get(entity);
      const back = child?.fields.find((cf) => cf.name === mappedBy);
      const foreignKey =
        unquote(getAnnotation(back ?? { annotations: [] }, 'JoinColumn')?.args.name) ??
        `${toSnakeCase(mappedBy ?? cls.name)}_id`;
      const orderBy = unquote(getAnnotation(f, 'OrderBy')?.args.value);
      children.push({
        field: f,
        entity,
        foreignKey,
        backReference: mappedBy,
        orderBy:
          orderBy === undefined
            ? undefined
            : orderBy.replace(/\b([a-z]\w*)\b(?!\s*$)/g, (w) =>
                /^(asc|desc)$/i.test(w) ? w : toSnakeCase(w),
              ),
      });
      continue;
    }
    const reference = hasAnnotation(f, 'ManyToOne', 'OneToOne');
    const name = reference
      ? (unquote(getAnnotation(f, 'JoinColumn')?.args.name) ?? `${toSnakeCase(f.name)}_id`)
      : (unquote(getAnnotation(f, 'Column')?.args.name) ?? toSnakeCase(f.name));
    const id = hasAnnotation(f, 'Id');
    columns.push({
      field: f,
      column: name,
      id,
      generated: id && hasAnnotation(f, 'GeneratedValue'),
      reference,
    });
  }
  return { cls, table, columns, id: columns.find((c) => c.id), children, manyToMany };
}

/** A row value → the field's TypeScript value (pg returns bigint and numeric as strings). */
export function fromColumn(c: ColumnMapping, row: string): string {
  const value = `${row}[${JSON.stringify(c.column)}]`;
  if (isNumberType(c.field.type)) return `Number(${value})`;
  if (isBooleanType(c.field.type)) return `${value} as boolean`;
  // the same `YYYY-MM-DD` on Node (whose pool reads DATE as text) and in a component (whose sql capability
  // gives a Date), as Jackson writes a LocalDate
  if (c.field.type.name === 'LocalDate') return `localDate(${value})`;
  if (isDateType(c.field.type)) return `${value} as Date`;
  return `${value} as string`;
}
