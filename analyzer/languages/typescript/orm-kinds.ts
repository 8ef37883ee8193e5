/**
 * The binding kinds of HTTP clients and ORMs/query builders: which modules matter, and what their factories make.
 * `orm.ts` turns calls on these kinds into effects.
 */
import type { BindingKind } from './bindings.ts';

/** HTTP clients called as functions (`got(url)`, `request(options)`) or by verb (`got.post(url)`). */
export const HTTP_CLIENT_MODULES = [
  'request',
  'request-promise',
  'request-promise-native',
  'got',
  'node-fetch',
  'superagent',
  'needle',
  'ky',
] as const;

export const ORM_MODULES = [
  '@prisma/client',
  'typeorm',
  'sequelize',
  'sequelize-typescript',
  'knex',
  'mongoose',
  'mongodb',
] as const;

export const ORM_MADE_BY: Readonly<Record<string, BindingKind>> = {
  '@prisma/client:PrismaClient': 'prisma',
  'prisma:$extends': 'prisma',
  'typeorm:DataSource': 'typeorm.ds',
  'typeorm:createConnection': 'typeorm.ds',
  'typeorm.ds:initialize': 'typeorm.ds',
  'typeorm:getRepository': 'typeorm.repo',
  'typeorm:getManager': 'typeorm.repo',
  'typeorm.ds:getRepository': 'typeorm.repo',
  'typeorm.ds:getTreeRepository': 'typeorm.repo',
  'sequelize:Sequelize': 'sequelize.db',
  'sequelize:default': 'sequelize.db',
  'sequelize:*': 'sequelize.db',
  'sequelize-typescript:Sequelize': 'sequelize.db',
  'sequelize.db:define': 'sequelize.model',
  'knex:default': 'knex.db',
  'knex:*': 'knex.db',
  'knex:knex': 'knex.db',
  'knex:Knex': 'knex.db',
  'mongoose:model': 'mongoose.model',
  'mongoose.conn:model': 'mongoose.model',
  'mongoose:createConnection': 'mongoose.conn',
  'mongodb:MongoClient': 'mongodb.client',
  'mongodb.client:db': 'mongodb.db',
  'mongodb.db:collection': 'mongodb.collection',
};

/** Class types whose instances are ORM handles (Nest injects them by type). */
export function getTypeKind(type: string, imported: ReadonlySet<string>): BindingKind | undefined {
  if (/^Prisma(Service|Client)\b/.test(type)) return 'prisma';
  if (imported.has('typeorm') && /^(Repository|TreeRepository|MongoRepository)</.test(type))
    return 'typeorm.repo';
  if (imported.has('typeorm') && /^(EntityManager|DataSource)\b/.test(type)) return 'typeorm.ds';
  if (imported.has('mongoose') && /^Model</.test(type)) return 'mongoose.model';
  if (imported.has('knex') && /^Knex\b/.test(type)) return 'knex.db';
  if (imported.has('sequelize') && /^Sequelize\b/.test(type)) return 'sequelize.db';
  return undefined;
}
