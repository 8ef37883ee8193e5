/** Spring Data JPA repositories → a class over `pg` with the SQL their method names imply. */
import type { JavaClass, JavaMethod } from './model.ts';
import { getAnnotation, hasAnnotation, missingEntity } from './model.ts';
import { translateJpql } from './jpql.ts';
import { resolveEntityMapping, type EntityMapping } from './entity-mapping.ts';
import {
  idFieldOf,
  referenceChecks,
  referenceValue,
  renderFromRows,
  renderJoinTableDeletes,
  renderJoinTableWrites,
  renderRowMapper,
  resolveRelations,
  selectList,
  type Relations,
} from './jpa-relations.ts';
import { parseDerivedQuery } from './derived-query.ts';
import type { ImportSet, ServiceContext } from './scope.ts';
import { createScope } from './scope.ts';
import { tsType } from './expressions.ts';
import type { MethodOutcome } from './members.ts';
import { splitJsLines } from './todo.ts';
import { fileName } from './members.ts';
import { isListType } from './types.ts';

export function translateJpaRepository(
  ctx: ServiceContext,
  repo: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  const entityName = repo.interfaces.find((i) => i.args.length === 2)?.args[0]?.name ?? '';
  const entityCls = ctx.classes.get(entityName);
  if (!entityCls) throw missingEntity(repo, entityName);
  const m = resolveEntityMapping(entityCls, ctx.classes);
  const r = resolveRelations(m, ctx.classes);
  imports.useModule('pg', 'Pool');
  imports.useModule('pg', 'PoolClient');
  imports.useClass(entityName);
  for (const name of r.related.keys()) imports.useClass(name);
  const idCol = m.id?.column ?? 'id';
  const idField = idFieldOf(m);
  // a self-referencing relation (Tag.related) reuses the entity's own row mapper
  const mappers = [m, ...[...r.related.values()].filter((x) => x.cls.name !== entityName)].map(
    renderRowMapper,
  );
  if (mappers.some((text) => text.includes('localDate('))) imports.useRuntime('java', 'localDate');
  const insertOf = (
    mapping: EntityMapping,
    target: string,
    relations: Relations,
    fk?: { column: string; value: string },
  ): string => {
    const cols = mapping.columns.filter((c) => !c.generated && c.column !== fk?.column);
    const names = [...cols.map((c) => c.column), ...(fk ? [fk.column] : [])];
    const values = [
      ...cols.map((c) => (c.reference ? referenceValue(relations, c, target) : `${target}.${c.field.name}`)),
      ...(fk ? [fk.value] : []),
    ];
    const ph = names.map((_, i) => `$${i + 1}`).join(', ');
    const mid = mapping.id;
    const returning = mid?.generated ? ` RETURNING ${mid.column}` : '';
    const assign = mid?.generated
      ? `\n${target}.${mid.field.name} = Number((inserted.rows[0] as Record<string, unknown>)[${JSON.stringify(mid.column)}]);`
      : '';
    return `const inserted = await client.query(\`INSERT INTO ${mapping.table} (${names.join(', ')}) VALUES (${ph})${returning}\`, [${values.join(', ')}]);${assign}`;
  };
  const updateCols = m.columns.filter((c) => !c.generated && !c.id);
  const childSaves = m.children.flatMap((child) => {
    const mapping = r.related.get(child.entity);
    if (!mapping) return [];
    const childRelations = resolveRelations(mapping, ctx.classes);
    const checks = referenceChecks(childRelations, 'child', child.backReference);
    return [
      `for (const child of entity.${child.field.name}) {\nif (child.${idFieldOf(mapping)} != null) continue;\n${[...checks, insertOf(mapping, 'child', childRelations, { column: child.foreignKey, value: `entity.${idField}` })].join('\n')}\n}`,
    ];
  });
  const save = `/** Inserts (generated id set on the entity) or updates by id, with its children and join table rows, in one transaction. */
async save(entity: ${entityName}): Promise<${entityName}> {
${referenceChecks(r, 'entity').join('\n')}
const client: PoolClient = await this.pool.connect();
try {
await client.query('BEGIN');
if (entity.${idField} == null) {
${insertOf(m, 'entity', r)}
} else {
await client.query(\`UPDATE ${m.table} SET ${updateCols.map((c, i) => `${c.column} = $${i + 2}`).join(', ') || `${idCol} = $1`} WHERE ${idCol} = $1\`, [entity.${idField}${updateCols.map((c) => `, ${c.reference ? referenceValue(r, c, 'entity') : `entity.${c.field.name}`}`).join('')}]);
}
${[...childSaves, ...renderJoinTableWrites(r)].join('\n')}
await client.query('COMMIT');
return entity;
} catch (error) {
await client.query('ROLLBACK');
throw error;
} finally {
client.release();
}
}`;
  const idType = tsType(
    m.id?.field.type ?? { name: 'Long', args: [], array: false, annotations: [] },
    createScope(ctx, repo, 'id', imports, false),
  );
  const deleteChildren = [
    ...m.children.flatMap((child) => {
      const mapping = r.related.get(child.entity);
      return mapping
        ? [`await this.pool.query('DELETE FROM ${mapping.table} WHERE ${child.foreignKey} = $1', [id]);`]
        : [];
    }),
    ...renderJoinTableDeletes(r),
  ].join('\n');
  const inherited = [
    `async findAll(): Promise<${entityName}[]> {\nconst result = await this.pool.query('SELECT ${selectList(m)} FROM ${m.table}');\nreturn this.fromRows(result.rows as Record<string, unknown>[]);\n}`,
    `async findById(id: ${idType}): Promise<${entityName} | null> {\nconst result = await this.pool.query('SELECT ${selectList(m)} FROM ${m.table} WHERE ${idCol} = $1', [id]);\nconst found = await this.fromRows(result.rows as Record<string, unknown>[]);\nreturn found[0] ?? null;\n}`,
    `async existsById(id: ${idType}): Promise<boolean> {\nconst result = await this.pool.query('SELECT 1 FROM ${m.table} WHERE ${idCol} = $1', [id]);\nreturn result.rows.length > 0;\n}`,
    `async count(): Promise<number> {\nconst result = await this.pool.query('SELECT count(*) AS n FROM ${m.table}');\nreturn Number((result.rows[0] as { n: string }).n);\n}`,
    `async deleteById(id: ${idType}): Promise<void> {\n${deleteChildren}\nawait this.pool.query('DELETE FROM ${m.table} WHERE ${idCol} = $1', [id]);\n}`,
    save,
    `async saveAll(entities: ${entityName}[]): Promise<${entityName}[]> {\nfor (const entity of entities) await this.save(entity);\nreturn entities;\n}`,
  ];
  const declared = repo.methods.map((method) => derivedMethod(ctx, repo, method, m, imports, outcomes));
  return `${mappers.join('\n\n')}\n\n/** ${repo.name}: Spring Data JPA repository of ${entityName} (table ${m.table}). */\nexport class ${repo.name} {\nprivate readonly pool: Pool;\n\nconstructor(pool: Pool) {\nthis.pool = pool;\n}\n\n${[...declared, renderFromRows(r), ...inherited].join('\n\n')}\n}`;
}

function derivedMethod(
  ctx: ServiceContext,
  repo: JavaClass,
  method: JavaMethod,
  m: EntityMapping,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  const scope = createScope(ctx, repo, method.name, imports, false);
  const params = method.params.map((p) => `${p.name}: ${tsType(p.type, scope) || 'unknown'}`).join(', ');
  const ret =
    tsType(method.returnType ?? { name: 'void', args: [], array: false, annotations: [] }, scope) ||
    'unknown';
  // `ownerId` of a @ManyToOne owner is its foreign key column, as Spring Data reads `findByOwnerId`
  const column = (property: string): string | undefined =>
    m.columns.find((c) => c.field.name === property)?.column ??
    m.columns.find((c) => c.reference && property === `${c.field.name}Id`)?.column;
  const head = `// from ${fileName(repo.file)}:${method.line}\nasync ${method.name}(${params}): Promise<${ret}>`;
  const many = method.returnType !== undefined && isListType(method.returnType);
  const queryText = getAnnotation(method, 'Query');
  if (queryText) {
    const jpql = queryJpql(queryText.args);
    const translated =
      jpql === undefined
        ? { ok: false as const, why: 'a native or non-literal @Query' }
        : translateJpql(jpql, m, (name) => lookupMapping(ctx, name), {
            params: method.params.map((p) => ({
              name: p.name,
              bound: unquote(getAnnotation(p, 'Param')?.args.value) ?? p.name,
            })),
          });
    const entityResult =
      many || method.returnType?.name === 'Optional' || method.returnType?.name === m.cls.name;
    if (translated.ok && entityResult) {
      outcomes.push({ member: `${repo.name}.${method.name}`, file: repo.file, line: method.line, todos: 0 });
      const { sql, params: order } = translated.value;
      return `${head} {\n// @Query ${JSON.stringify(jpql)}\nconst result = await this.pool.query(\`${sql}\`, [${order.join(', ')}]);\nconst found = await this.fromRows(result.rows as Record<string, unknown>[]);\nreturn ${many ? 'found' : 'found[0] ?? null'};\n}`;
    }
    const why = translated.ok
      ? `@Query returning ${method.returnType?.name ?? 'void'} is not translated`
      : `@Query not translated: ${translated.why}`;
    return todoMethod(ctx, repo, method, head, why, outcomes);
  }
  const query = parseDerivedQuery(method.name, column);
  if (!query || query.params !== method.params.length)
    return todoMethod(ctx, repo, method, head, `cannot derive a query from ${method.name}`, outcomes);
  outcomes.push({ member: `${repo.name}.${method.name}`, file: repo.file, line: method.line, todos: 0 });
  const where = query.where === '' ? '' : ` WHERE ${query.where}`;
  const order = query.orderBy === '' ? '' : ` ORDER BY ${query.orderBy}`;
  const limit = query.limit === undefined ? '' : ` LIMIT ${query.limit}`;
  const args = `[${method.params.map((p) => p.name).join(', ')}]`;
  switch (query.action) {
    case 'exists':
      return `${head} {\nconst result = await this.pool.query(\`SELECT 1 FROM ${m.table}${where} LIMIT 1\`, ${args});\nreturn result.rows.length > 0;\n}`;
    case 'count':
      return `${head} {\nconst result = await this.pool.query(\`SELECT count(*) AS n FROM ${m.table}${where}\`, ${args});\nreturn Number((result.rows[0] as { n: string }).n);\n}`;
    case 'delete':
      return `${head} {\nawait this.pool.query(\`DELETE FROM ${m.table}${where}\`, ${args});\n}`;
    case 'find': {
      const load = `const result = await this.pool.query(\`SELECT ${selectList(m)} FROM ${m.table}${where}${order}${limit}\`, ${args});\nconst found = await this.fromRows(result.rows as Record<string, unknown>[]);`;
      return `${head} {\n${load}\nreturn ${many ? 'found' : 'found[0] ?? null'};\n}`;
    }
  }
}

function todoMethod(
  ctx: ServiceContext,
  repo: JavaClass,
  method: JavaMethod,
  head: string,
  why: string,
  outcomes: MethodOutcome[],
): string {
  ctx.todos.push({
    file: repo.file,
    line: method.line,
    member: `${repo.name}.${method.name}`,
    why,
    java: method.text,
  });
  outcomes.push({ member: `${repo.name}.${method.name}`, file: repo.file, line: method.line, todos: 1 });
  const where = `${fileName(repo.file)}:${method.line}`;
  return `${head} {\n// TODO(migrate): ${why} (${where})\n// ${splitJsLines(method.text).join('\n// ')}\nthrow new Error(${JSON.stringify(`TODO(migrate): ${why} (${where})`)});\n}`;
}

function unquote(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /^"(.*)"$/s.exec(text.trim())?.[1];
}

/** The JPQL of `@Query("…")` or `@Query(value = "…")`; undefined for `nativeQuery = true` or a non-literal. */
function queryJpql(args: Record<string, string>): string | undefined {
  if (args.nativeQuery === 'true') return undefined;
  const raw = args.value;
  if (raw === undefined) return undefined;
  // "a " + "b" and text blocks
  const block = /^"""\s*\n([\s\S]*)"""$/.exec(raw.trim());
  if (block) return block[1]?.replace(/\s+/g, ' ').trim();
  const parts = raw.split(/"\s*\+\s*"/).join('');
  return unquote(parts)?.replace(/\\"/g, '"');
}

function lookupMapping(ctx: ServiceContext, name: string): EntityMapping | undefined {
  const cls = ctx.classes.get(name);
  return cls && hasAnnotation(cls, 'Entity') ? resolveEntityMapping(cls, ctx.classes) : undefined;
}
