/** Spring Data derived query method names → SQL: `findBySkuCodeIn`, `existsByNameAndPrice`, `findAllByOrderByIdAsc`, … */
import { lowerFirst, toSnakeCase } from './names.ts';

export type QueryAction = 'find' | 'exists' | 'count' | 'delete';

export interface DerivedQuery {
  action: QueryAction;
  /** `where` clause with $n placeholders, or '' for none. */
  where: string;
  orderBy: string;
  /** How many method parameters the criteria consume. */
  params: number;
  limit: number | undefined;
}

const OPERATORS: [string, (col: string, p: () => string) => string][] = [
  ['IsNotNull', (c) => `${c} IS NOT NULL`],
  ['NotNull', (c) => `${c} IS NOT NULL`],
  ['IsNull', (c) => `${c} IS NULL`],
  ['Null', (c) => `${c} IS NULL`],
  ['NotIn', (c, p) => `NOT (${c} = ANY(${p()}))`],
  ['In', (c, p) => `${c} = ANY(${p()})`],
  ['GreaterThanEqual', (c, p) => `${c} >= ${p()}`],
  ['GreaterThan', (c, p) => `${c} > ${p()}`],
  ['LessThanEqual', (c, p) => `${c} <= ${p()}`],
  ['LessThan', (c, p) => `${c} < ${p()}`],
  ['After', (c, p) => `${c} > ${p()}`],
  ['Before', (c, p) => `${c} < ${p()}`],
  ['Between', (c, p) => `${c} BETWEEN ${p()} AND ${p()}`],
  ['NotLike', (c, p) => `${c} NOT LIKE ${p()}`],
  ['Like', (c, p) => `${c} LIKE ${p()}`],
  ['StartingWith', (c, p) => `${c} LIKE ${p()} || '%'`],
  ['EndingWith', (c, p) => `${c} LIKE '%' || ${p()}`],
  ['Containing', (c, p) => `${c} LIKE '%' || ${p()} || '%'`],
  ['IgnoreCase', (c, p) => `lower(${c}) = lower(${p()})`],
  ['True', (c) => `${c} IS TRUE`],
  ['False', (c) => `${c} IS FALSE`],
  ['Not', (c, p) => `${c} <> ${p()}`],
  ['Equals', (c, p) => `${c} = ${p()}`],
  ['Is', (c, p) => `${c} = ${p()}`],
];

/** Parses a derived query name; `column` maps a property name to its column (undefined if unknown). */
export function parseDerivedQuery(
  name: string,
  column: (property: string) => string | undefined,
): DerivedQuery | undefined {
  const match = /^(find|read|get|query|search|stream|exists|count|delete|remove)(.*?)By(.*)$/.exec(name);
  if (!match) return undefined;
  const verb = match[1] ?? '';
  const subject = match[2] ?? '';
  const action: QueryAction =
    verb === 'exists'
      ? 'exists'
      : verb === 'count'
        ? 'count'
        : verb === 'delete' || verb === 'remove'
          ? 'delete'
          : 'find';
  const limitMatch = /^(?:First|Top)(\d*)/.exec(subject);
  const limit = limitMatch ? Number(limitMatch[1] || 1) : undefined;
  const [criteria = '', order] = (match[3] ?? '').split('OrderBy');
  let n = 0;
  const param = (): string => `$${++n}`;
  const parts = criteria === '' ? [] : criteria.split(/(And|Or)(?=[A-Z])/);
  const clauses: string[] = [];
  for (const part of parts) {
    if (part === 'And' || part === 'Or') {
      clauses.push(part.toUpperCase());
      continue;
    }
    const op = OPERATORS.find(
      ([suffix]) => part.endsWith(suffix) && column(lowerFirst(part.slice(0, -suffix.length))) !== undefined,
    );
    const property = op ? lowerFirst(part.slice(0, -op[0].length)) : lowerFirst(part);
    const col = column(property);
    if (col === undefined) return undefined;
    clauses.push(op ? op[1](col, param) : `${col} = ${param()}`);
  }
  let orderBy = '';
  if (order !== undefined) {
    const orders = [...order.matchAll(/([A-Z]\w*?)(Asc|Desc)(?=[A-Z]|$)/g)].map((m) => {
      const col = column(lowerFirst(m[1] ?? ''));
      return col === undefined ? undefined : `${col} ${(m[2] ?? 'Asc').toUpperCase()}`;
    });
    if (orders.length === 0 || orders.some((o) => o === undefined)) return undefined;
    orderBy = orders.join(', ');
  }
  return { action, where: clauses.join(' '), orderBy, params: n, limit };
}

export { toSnakeCase };
