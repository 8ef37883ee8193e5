/** The operation and main table of an SQL statement, from its text (enough for effects, not a SQL parser). */
export interface SqlSummary {
  operation: 'select' | 'insert' | 'update' | 'delete' | 'upsert' | 'other';
  table?: string;
}

const IDENT = String.raw`((?:"[^"]+"|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|[A-Za-z_][\w$]*))?)`;

function clean(name: string): string {
  return name.replace(/"/g, '').toLowerCase();
}

export function parseSql(text: string): SqlSummary {
  // Drop comments and string literals so words inside them do not count.
  const sql = text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/^\s*with\s+[\s\S]*?\)\s*(?=select|insert|update|delete)/i, '');
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  const find = (re: RegExp): string | undefined => {
    const m = re.exec(sql);
    return m?.[1] === undefined ? undefined : clean(m[1]);
  };
  switch (word) {
    case 'select':
      return withTable('select', find(new RegExp(String.raw`\bfrom\s+${IDENT}`, 'i')));
    case 'insert': {
      const upsert = /\bon\s+conflict\b|\bon\s+duplicate\s+key\b/i.test(sql);
      return withTable(upsert ? 'upsert' : 'insert', find(new RegExp(String.raw`\binto\s+${IDENT}`, 'i')));
    }
    case 'update':
      return withTable('update', find(new RegExp(String.raw`^\s*update\s+(?:only\s+)?${IDENT}`, 'i')));
    case 'delete':
      return withTable('delete', find(new RegExp(String.raw`\bfrom\s+(?:only\s+)?${IDENT}`, 'i')));
    default:
      return { operation: 'other' };
  }
}

function withTable(operation: SqlSummary['operation'], table: string | undefined): SqlSummary {
  return table === undefined ? { operation } : { operation, table };
}
