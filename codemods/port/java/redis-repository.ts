/** Spring Data Redis repositories of `@RedisHash` classes → ioredis code writing the same keys and hash layout. */
import { getAnnotation, hasAnnotation, missingEntity, type JavaClass } from './model.ts';
import type { ImportSet, ServiceContext } from './scope.ts';
import type { MethodOutcome } from './members.ts';
import { splitJsLines } from './todo.ts';
import { fileName } from './members.ts';
import { isBooleanType, isNumberType } from './types.ts';

export function translateRedisRepository(
  ctx: ServiceContext,
  repo: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  const entityName = repo.interfaces.find((i) => i.args.length === 2)?.args[0]?.name ?? '';
  const entity = ctx.classes.get(entityName);
  if (!entity) throw missingEntity(repo, entityName);
  imports.useClass(entityName);
  imports.useModule('ioredis', 'Redis');
  imports.useModule('node:crypto', 'randomUUID');
  const fqcn = `${entity.packageName}.${entity.name}`;
  const keyspace = getAnnotation(entity, 'RedisHash')?.args.value?.replace(/^"|"$/g, '') ?? fqcn;
  const fields = entity.fields.filter(
    (f) => !f.modifiers.includes('static') && !hasAnnotation(f, 'Transient'),
  );
  const idField = fields.find((f) => hasAnnotation(f, 'Id'))?.name ?? 'id';
  const toHash = fields.map((f) => {
    const v = `entity.${f.name}`;
    const str = isBooleanType(f.type) ? `${v} ? '1' : '0'` : `String(${v})`;
    return `if (${v} != null) hash[${JSON.stringify(f.name)}] = ${str};`;
  });
  const fromHash = fields.map((f) => {
    const v = `hash[${JSON.stringify(f.name)}]`;
    const conv = isNumberType(f.type)
      ? `Number(${v})`
      : isBooleanType(f.type)
        ? `${v} === '1' || ${v} === 'true'`
        : v;
    return `if (${v} !== undefined) entity.${f.name} = ${conv};`;
  });
  for (const m of repo.methods) {
    const why = 'derived queries on Redis repositories need @Indexed secondary indexes, not translated';
    ctx.todos.push({ file: repo.file, line: m.line, member: `${repo.name}.${m.name}`, why, java: m.text });
    outcomes.push({ member: `${repo.name}.${m.name}`, file: repo.file, line: m.line, todos: 1 });
  }
  const todoMethods = repo.methods.map(
    (m) =>
      `// TODO(migrate): ${m.name} from ${fileName(repo.file)}:${m.line} is not translated\n// ${splitJsLines(m.text).join('\n// ')}`,
  );
  return `const KEYSPACE = ${JSON.stringify(keyspace)};

function to${entityName}(hash: Record<string, string>): ${entityName} {
const entity = new ${entityName}();
${fromHash.join('\n')}
return entity;
}

/** ${repo.name}: Spring Data Redis layout, hash \`${keyspace}:<id>\` (with \`_class\`) plus the id set \`${keyspace}\`. */
export class ${repo.name} {
private readonly redis: Redis;

constructor(redis: Redis) {
this.redis = redis;
}

${todoMethods.join('\n')}

async save(entity: ${entityName}): Promise<${entityName}> {
entity.${idField} ??= randomUUID();
const key = \`\${KEYSPACE}:\${entity.${idField}}\`;
const hash: Record<string, string> = { _class: ${JSON.stringify(fqcn)} };
${toHash.join('\n')}
await this.redis.multi().del(key).hset(key, hash).sadd(KEYSPACE, String(entity.${idField})).exec();
return entity;
}

async findById(id: string): Promise<${entityName} | null> {
const hash = await this.redis.hgetall(\`\${KEYSPACE}:\${id}\`);
return Object.keys(hash).length === 0 ? null : to${entityName}(hash);
}

async findAll(): Promise<${entityName}[]> {
const ids = await this.redis.smembers(KEYSPACE);
// one round trip for all the hashes (Spring Data reads them one by one); an id whose hash is gone is skipped
const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(\`\${KEYSPACE}:\${id}\`)));
return hashes.filter((hash) => Object.keys(hash).length > 0).map((hash) => to${entityName}(hash));
}

async existsById(id: string): Promise<boolean> {
return (await this.redis.exists(\`\${KEYSPACE}:\${id}\`)) === 1;
}

async count(): Promise<number> {
return this.redis.scard(KEYSPACE);
}

async deleteById(id: string): Promise<void> {
await this.redis.multi().del(\`\${KEYSPACE}:\${id}\`).srem(KEYSPACE, id).exec();
}
}`;
}
