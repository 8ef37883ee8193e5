/** Spring Data repository method names → SQL-ish operation and columns (`findBySkuCodeIn` → select sku_code). */

export interface RepositoryOperation {
  operation: 'select' | 'insert' | 'upsert' | 'update' | 'delete';
  columns: string[];
}

/** `skuCode` → `sku_code`, `Order` → `order`, `OrderLineItem` → `order_line_item` (Spring's naming strategy). */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const KEYWORDS =
  /(IsNotNull|NotNull|IsNull|Null|IsNotIn|NotIn|IsIn|In|IsNotLike|NotLike|IsLike|Like|StartingWith|EndingWith|Containing|IsBetween|Between|LessThanEqual|LessThan|GreaterThanEqual|GreaterThan|Before|After|IsTrue|True|IsFalse|False|IgnoreCase|Not|Is|Equals)$/;

function columnsOf(criteria: string): string[] {
  const columns: string[] = [];
  for (const part of criteria.split(/And|Or(?=[A-Z])/)) {
    let property = part;
    for (let i = 0; i < 3 && KEYWORDS.test(property); i++) property = property.replace(KEYWORDS, '');
    if (property !== '') columns.push(toSnakeCase(property.charAt(0).toLowerCase() + property.slice(1)));
  }
  return columns;
}

/** Parses a repository method name; undefined when it is not a derived query or CRUD method. */
export function parseRepositoryMethod(name: string): RepositoryOperation | undefined {
  if (name === 'save' || name === 'saveAll' || name === 'saveAndFlush' || name === 'saveAllAndFlush') {
    return { operation: 'upsert', columns: [] };
  }
  if (name === 'flush') return undefined;
  const match =
    /^(find|read|get|query|search|stream|count|exists|delete|remove)(All|First\d*|Top\d*|Distinct)*(?:By(.*))?$/.exec(
      name,
    );
  if (match === null) return undefined;
  const verb = match[1]!;
  const operation = verb === 'delete' || verb === 'remove' ? 'delete' : 'select';
  const criteria = (match[3] ?? '').replace(/OrderBy.*$/, '');
  const orderBy = /OrderBy(.*?)(Asc|Desc)?$/.exec(match[3] ?? '');
  const columns =
    criteria === '' || criteria === 'Id' || criteria === 'IdIn'
      ? criteria === ''
        ? []
        : ['id']
      : columnsOf(criteria);
  if (orderBy?.[1] !== undefined && orderBy[1] !== '')
    for (const c of columnsOf(orderBy[1])) if (!columns.includes(c)) columns.push(c);
  return { operation, columns };
}

/** Operation and table from a SQL string literal (JdbcTemplate, @Query native). */
export function parseSql(sql: string): {
  operation: RepositoryOperation['operation'] | undefined;
  table: string | undefined;
} {
  const text = sql.trim();
  const op = /^\s*(select|insert|update|delete|merge|upsert)\b/i.exec(text)?.[1]?.toLowerCase();
  const table =
    /\bfrom\s+([\w."]+)/i.exec(text)?.[1] ??
    /\binto\s+([\w."]+)/i.exec(text)?.[1] ??
    /^\s*update\s+([\w."]+)/i.exec(text)?.[1];
  return {
    operation: op === 'merge' ? 'upsert' : (op as RepositoryOperation['operation'] | undefined),
    table: table?.replace(/"/g, ''),
  };
}
