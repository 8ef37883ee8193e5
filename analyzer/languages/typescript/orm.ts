/**
 * Effects of ORMs and query builders: Prisma, TypeORM, Sequelize and knex are `sql`; mongoose and the MongoDB
 * driver are `document` (no target has a document-store interface). One effect per database call site: chained
 * builder calls (`knex('t').where(…).first()`) count once, at the call that names the table.
 */
import { ts } from 'ts-morph';
import type { EffectKind } from '../../../shared/catalog.ts';
import type { EffectDetail } from '../../model.ts';
import { parseSql, type SqlSummary } from './sql.ts';

type Operation = SqlSummary['operation'];
type EmitEffect = (node: ts.Node, kind: EffectKind, detail: EffectDetail) => void;

const READ = 'select';
/** Model/repository method → operation, shared by Prisma, TypeORM, Sequelize and mongoose (names overlap little). */
const METHOD_OPERATION: Readonly<Record<string, Operation>> = {
  // Prisma
  findMany: READ,
  findUnique: READ,
  findUniqueOrThrow: READ,
  findFirst: READ,
  findFirstOrThrow: READ,
  count: READ,
  aggregate: READ,
  groupBy: READ,
  create: 'insert',
  createMany: 'insert',
  createManyAndReturn: 'insert',
  update: 'update',
  updateMany: 'update',
  upsert: 'upsert',
  delete: 'delete',
  deleteMany: 'delete',
  // TypeORM
  find: READ,
  findBy: READ,
  findOne: READ,
  findOneBy: READ,
  findOneOrFail: READ,
  findOneByOrFail: READ,
  findAndCount: READ,
  findByIds: READ,
  exist: READ,
  exists: READ,
  existsBy: READ,
  countBy: READ,
  save: 'upsert',
  insert: 'insert',
  remove: 'delete',
  softDelete: 'delete',
  softRemove: 'delete',
  createQueryBuilder: 'other',
  increment: 'update',
  decrement: 'update',
  // Sequelize
  findAll: READ,
  findByPk: READ,
  findAndCountAll: READ,
  findOrCreate: 'upsert',
  bulkCreate: 'insert',
  destroy: 'delete',
  max: READ,
  min: READ,
  sum: READ,
  // mongoose / MongoDB driver
  findById: READ,
  countDocuments: READ,
  estimatedDocumentCount: READ,
  distinct: READ,
  insertOne: 'insert',
  insertMany: 'insert',
  updateOne: 'update',
  replaceOne: 'update',
  findOneAndUpdate: 'update',
  findByIdAndUpdate: 'update',
  findOneAndReplace: 'update',
  deleteOne: 'delete',
  findOneAndDelete: 'delete',
  findByIdAndDelete: 'delete',
  findOneAndRemove: 'delete',
  findByIdAndRemove: 'delete',
  bulkWrite: 'other',
};
const KNEX_BUILDERS = new Set([
  'select',
  'insert',
  'update',
  'del',
  'delete',
  'from',
  'table',
  'into',
  'with',
  'raw',
]);

function literal(node: ts.Node | undefined): string | undefined {
  return node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function templateText(node: ts.Node | undefined, sf: ts.SourceFile): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.getText(sf).slice(1, -1);
  return undefined;
}

function emitSql(
  node: ts.Node,
  effect: EmitEffect,
  api: string,
  operation: Operation,
  table: string | undefined,
): void {
  effect(node, 'sql', {
    summary: `${operation.toUpperCase()} ${table ?? '?'}`,
    api,
    operation,
    ...(table === undefined ? {} : { table }),
  });
}

function emitRawSql(node: ts.Node, effect: EmitEffect, api: string, text: string | undefined): void {
  const sql = text === undefined ? undefined : parseSql(text);
  effect(node, 'sql', {
    summary: sql ? `${sql.operation.toUpperCase()} ${sql.table ?? '?'}` : 'SQL query (text not literal)',
    api,
    ...(sql === undefined ? {} : { operation: sql.operation }),
    ...(sql?.table === undefined ? {} : { table: sql.table }),
  });
}

/** The operation a knex chain ends in: `knex('t').insert(…)` is an insert, a bare `knex('t').where(…)` a select. */
function getKnexOperation(call: ts.CallExpression): Operation {
  let node: ts.Node = call;
  const methods: string[] = [];
  while (ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent)) {
    methods.push(node.parent.name.text);
    node = node.parent.parent;
  }
  if (methods.includes('insert')) return methods.includes('merge') ? 'upsert' : 'insert';
  if (methods.includes('update') || methods.includes('increment') || methods.includes('decrement'))
    return 'update';
  if (methods.includes('del') || methods.includes('delete')) return 'delete';
  return 'select';
}

/** The entity of `getRepository(User)` or the model name of `mongoose.model('User', …)` written inline. */
function getEntity(target: ts.Expression, sf: ts.SourceFile): string | undefined {
  if (ts.isStringLiteralLike(target)) return target.text;
  if (ts.isCallExpression(target)) {
    const first = target.arguments[0];
    return first === undefined ? undefined : (literal(first) ?? first.getText(sf));
  }
  if (ts.isIdentifier(target)) return target.text;
  return undefined;
}

/** `db('users')`: a knex instance called with a table. */
export function visitKnexTableCall(node: ts.CallExpression, effect: EmitEffect): void {
  const table = literal(node.arguments[0]);
  emitSql(node, effect, 'knex', getKnexOperation(node), table);
}

/** Calls on ORM kinds; true when the kind is an ORM one (handled, effect or not). */
export function visitOrmCall(
  node: ts.CallExpression | ts.TaggedTemplateExpression,
  kind: string,
  method: string,
  target: ts.Expression,
  sf: ts.SourceFile,
  effect: EmitEffect,
): boolean {
  // prisma.$queryRaw`…`: the template is the one argument
  const args: readonly ts.Node[] = ts.isCallExpression(node) ? node.arguments : [node.template];
  if (kind === 'prisma') {
    if (/^\$(query|execute)Raw(Unsafe)?$/.test(method))
      emitRawSql(node, effect, `prisma.${method}`, templateText(args[0], sf));
    return true;
  }
  if (kind.startsWith('prisma:')) {
    const operation = METHOD_OPERATION[method];
    const model = kind.slice('prisma:'.length);
    if (operation !== undefined && !model.startsWith('$'))
      emitSql(node, effect, `prisma.${method}`, operation, model);
    return true;
  }
  if (kind === 'typeorm.ds' || kind === 'typeorm.ds:manager' || kind === 'sequelize.db') {
    const api = kind === 'sequelize.db' ? 'sequelize' : 'typeorm';
    if (method === 'query') emitRawSql(node, effect, `${api}.query`, templateText(args[0], sf));
    else if (kind !== 'sequelize.db' && METHOD_OPERATION[method] !== undefined && args.length > 0)
      // manager.find(User, …): the entity is the first argument
      emitSql(
        node,
        effect,
        `typeorm.${method}`,
        METHOD_OPERATION[method],
        getEntity(args[0] as ts.Expression, sf),
      );
    return true;
  }
  if (kind === 'typeorm.repo' || kind === 'sequelize.model') {
    const operation = method === 'query' ? undefined : METHOD_OPERATION[method];
    const api = kind === 'typeorm.repo' ? 'typeorm' : 'sequelize';
    if (method === 'query') emitRawSql(node, effect, `${api}.query`, templateText(args[0], sf));
    else if (operation !== undefined)
      emitSql(node, effect, `${api}.${method}`, operation, getEntity(target, sf));
    return true;
  }
  if (kind === 'knex.db') {
    if (method === 'raw') emitRawSql(node, effect, 'knex.raw', templateText(args[0], sf));
    else if (KNEX_BUILDERS.has(method) && ts.isCallExpression(node))
      emitSql(node, effect, `knex.${method}`, getKnexOperation(node), undefined);
    return true;
  }
  if (kind === 'mongoose.model' || kind === 'mongodb.collection') {
    const operation = METHOD_OPERATION[method];
    if (operation === undefined) return true;
    const collection = getEntity(target, sf);
    const api = kind === 'mongoose.model' ? 'mongoose' : 'mongodb';
    effect(node, 'document', {
      summary: `${operation.toUpperCase()} ${collection ?? '?'}`,
      api: `${api}.${method}`,
      operation,
      ...(collection === undefined ? {} : { table: collection }),
    });
    return true;
  }
  return false;
}
