/** Spring Data JPA repositories → a class over `pg` with the SQL their method names imply. */
import type { JavaClass, JavaMethod } from './model.ts';
import { hasAnnotation, missingEntity } from './model.ts';
import { fromColumn, resolveEntityMapping, type EntityMapping } from './entity-mapping.ts';
import { parseDerivedQuery } from './derived-query.ts';
import type { ImportSet, ServiceContext } from './scope.ts';
import { createScope } from './scope.ts';
import { tsType } from './expressions.ts';
import type { MethodOutcome } from './members.ts';
import { splitJsLines } from './todo.ts';
import { fileName } from './members.ts';
import { isListType } from './types.ts';
import { upperFirst } from './names.ts';

function selectList(m: EntityMapping): string {
  return m.columns.map((c) => c.column).join(', ');
}

function rowMapper(m: EntityMapping, imports: ImportSet): string {
  const name = m.cls.name;
  imports.useClass(name);
  const assigns = m.columns
    .filter((c) => !c.reference)
    .map((c) => `entity.${c.field.name} = ${fromColumn(c, 'row')};`);
  return `function to${name}(row: Record<string, unknown>): ${name} {\nconst entity = new ${name}();\n${assigns.join('\n')}\nreturn entity;\n}`;
}

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
  const childMappings = m.children.map((c) => ({
    child: c,
    mapping: resolveEntityMapping(ctx.classes.get(c.entity) ?? entityCls, ctx.classes),
  }));
  imports.useModule('pg', 'Pool');
  imports.useModule('pg', 'PoolClient');
  const idCol = m.id?.column ?? 'id';
  const idField = m.id?.field.name ?? 'id';
  const mappers = [rowMapper(m, imports), ...childMappings.map((c) => rowMapper(c.mapping, imports))];
  const loadChildren = childMappings.map(({ child, mapping }) => {
    const order = child.orderBy ? ` ORDER BY ${child.orderBy}` : '';
    const back = child.backReference ? `\nchild.${child.backReference} = parent;` : '';
    return `{
const result = await this.pool.query(\`SELECT ${selectList(mapping)} FROM ${mapping.table} WHERE ${child.foreignKey} = ANY($1)${order}\`, [entities.map((e) => e.${idField})]);
for (const row of result.rows as Record<string, unknown>[]) {
const parent = byId.get(Number(row[${JSON.stringify(child.foreignKey)}]));
if (parent === undefined) continue;
const child = to${mapping.cls.name}(row);${back}
parent.${child.field.name}.push(child);
}
}`;
  });
  const withChildren =
    childMappings.length === 0
      ? `private async withChildren(entities: ${entityName}[]): Promise<${entityName}[]> {\nreturn entities;\n}`
      : `/** Loads the @OneToMany children of \`entities\` in one query per relation. */\nprivate async withChildren(entities: ${entityName}[]): Promise<${entityName}[]> {\nif (entities.length === 0) return entities;\nconst byId = new Map(entities.map((e) => [e.${idField}, e]));\n${loadChildren.join('\n')}\nreturn entities;\n}`;
  const insertable = m.columns.filter((c) => !c.generated);
  const insertOf = (
    mapping: EntityMapping,
    target: string,
    fk?: { column: string; value: string },
  ): string => {
    const cols = mapping.columns.filter((c) => !c.generated && !c.reference);
    const names = [...cols.map((c) => c.column), ...(fk ? [fk.column] : [])];
    const values = [...cols.map((c) => `${target}.${c.field.name}`), ...(fk ? [fk.value] : [])];
    const ph = names.map((_, i) => `$${i + 1}`).join(', ');
    const mid = mapping.id;
    const returning = mid?.generated ? ` RETURNING ${mid.column}` : '';
    const assign = mid?.generated
      ? `\n${target}.${mid.field.name} = Number((inserted.rows[0] as Record<string, unknown>)[${JSON.stringify(mid.column)}]);`
      : '';
    return `const inserted = await client.query(\`INSERT INTO ${mapping.table} (${names.join(', ')}) VALUES (${ph})${returning}\`, [${values.join(', ')}]);${assign}`;
  };
  const updateCols = insertable.filter((c) => !c.id && !c.reference);
  const childSaves = childMappings.map(
    ({ child, mapping }) =>
      `for (const child of entity.${child.field.name}) {\nif (child.${mapping.id?.field.name ?? 'id'} != null) continue;\n${insertOf(mapping, 'child', { column: child.foreignKey, value: `entity.${idField}` })}\n}`,
  );
  const save = `/** Inserts (generated id set on the entity) or updates by id, with its children, in one transaction. */
async save(entity: ${entityName}): Promise<${entityName}> {
const client: PoolClient = await this.pool.connect();
try {
await client.query('BEGIN');
if (entity.${idField} == null) {
${insertOf(m, 'entity')}
} else {
await client.query(\`UPDATE ${m.table} SET ${updateCols.map((c, i) => `${c.column} = $${i + 2}`).join(', ') || `${idCol} = $1`} WHERE ${idCol} = $1\`, [entity.${idField}${updateCols.map((c) => `, entity.${c.field.name}`).join('')}]);
}
${childSaves.join('\n')}
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
  const deleteChildren = childMappings
    .map(
      ({ child, mapping }) =>
        `await this.pool.query('DELETE FROM ${mapping.table} WHERE ${child.foreignKey} = $1', [id]);`,
    )
    .join('\n');
  const inherited = [
    `async findAll(): Promise<${entityName}[]> {\nconst result = await this.pool.query('SELECT ${selectList(m)} FROM ${m.table}');\nreturn this.withChildren((result.rows as Record<string, unknown>[]).map(to${entityName}));\n}`,
    `async findById(id: ${idType}): Promise<${entityName} | null> {\nconst result = await this.pool.query('SELECT ${selectList(m)} FROM ${m.table} WHERE ${idCol} = $1', [id]);\nconst found = await this.withChildren((result.rows as Record<string, unknown>[]).map(to${entityName}));\nreturn found[0] ?? null;\n}`,
    `async existsById(id: ${idType}): Promise<boolean> {\nconst result = await this.pool.query('SELECT 1 FROM ${m.table} WHERE ${idCol} = $1', [id]);\nreturn result.rows.length > 0;\n}`,
    `async count(): Promise<number> {\nconst result = await this.pool.query('SELECT count(*) AS n FROM ${m.table}');\nreturn Number((result.rows[0] as { n: string }).n);\n}`,
    `async deleteById(id: ${idType}): Promise<void> {\n${deleteChildren}\nawait this.pool.query('DELETE FROM ${m.table} WHERE ${idCol} = $1', [id]);\n}`,
    save,
    `async saveAll(entities: ${entityName}[]): Promise<${entityName}[]> {\nfor (const entity of entities) await this.save(entity);\nreturn entities;\n}`,
  ];
  const declared = repo.methods.map((method) => derivedMethod(ctx, repo, method, m, imports, outcomes));
  return `${mappers.join('\n\n')}\n\n/** ${repo.name}: Spring Data JPA repository of ${entityName} (table ${m.table}). */\nexport class ${repo.name} {\nprivate readonly pool: Pool;\n\nconstructor(pool: Pool) {\nthis.pool = pool;\n}\n\n${[...declared, withChildren, ...inherited].join('\n\n')}\n}`;
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
  const column = (property: string): string | undefined =>
    m.columns.find((c) => c.field.name === property)?.column ??
    (property === upperFirst(property) ? undefined : undefined);
  const query = hasAnnotation(method, 'Query') ? undefined : parseDerivedQuery(method.name, column);
  const head = `// from ${fileName(repo.file)}:${method.line}\nasync ${method.name}(${params}): Promise<${ret}>`;
  if (!query || query.params !== method.params.length) {
    const why = hasAnnotation(method, 'Query')
      ? '@Query methods are not translated'
      : `cannot derive a query from ${method.name}`;
    ctx.todos.push({
      file: repo.file,
      line: method.line,
      member: `${repo.name}.${method.name}`,
      why,
      java: method.text,
    });
    outcomes.push({ member: `${repo.name}.${method.name}`, file: repo.file, line: method.line, todos: 1 });
    return `${head} {\n// TODO(migrate): ${why}\n// ${splitJsLines(method.text).join('\n// ')}\nthrow new Error(${JSON.stringify(`TODO(migrate): ${why}`)});\n}`;
  }
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
      const load = `const result = await this.pool.query(\`SELECT ${selectList(m)} FROM ${m.table}${where}${order}${limit}\`, ${args});\nconst found = await this.withChildren((result.rows as Record<string, unknown>[]).map(to${m.cls.name}));`;
      const many = method.returnType !== undefined && isListType(method.returnType);
      return `${head} {\n${load}\nreturn ${many ? 'found' : 'found[0] ?? null'};\n}`;
    }
  }
}
