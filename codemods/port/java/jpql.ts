/**
 * `@Query` JPQL → Postgres SQL where the translation is mechanical: `SELECT [DISTINCT] e FROM Entity e`, joins
 * along mapped relations (`JOIN e.rel r`), a WHERE of paths, parameters (`:name`, `?1`), literals, comparisons,
 * LIKE/IN/IS NULL/BETWEEN, AND/OR/NOT and the string functions Postgres spells alike, and ORDER BY paths.
 * Anything else (constructor expressions, aggregates, subqueries, fetch joins' semantics, native queries,
 * updates) is `undefined` with the reason, and the repository method becomes a TODO.
 */
import type { EntityMapping } from './entity-mapping.ts';

export interface JpqlSql {
  sql: string;
  /** The method parameter each `$n` takes, in order. */
  params: string[];
  distinct: boolean;
}

export interface JpqlMethod {
  /** Method parameter names, with their `@Param` names (`:name`) where given. */
  params: { name: string; bound: string }[];
}

export type JpqlResult = { ok: true; value: JpqlSql } | { ok: false; why: string };

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'LIKE',
  'IN',
  'IS',
  'NULL',
  'BETWEEN',
  'TRUE',
  'FALSE',
  'ASC',
  'DESC',
  'ESCAPE',
]);
const FUNCTIONS: Record<string, string> = {
  LOWER: 'lower',
  UPPER: 'upper',
  CONCAT: 'concat',
  TRIM: 'trim',
  LENGTH: 'length',
  ABS: 'abs',
  COALESCE: 'coalesce',
};

type Token = { kind: 'word' | 'param' | 'string' | 'number' | 'op'; text: string };

function tokenize(jpql: string): Token[] | undefined {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(:[A-Za-z_]\w*|\?\d+)|('(?:[^']|'')*')|(\d+(?:\.\d+)?)|([A-Za-z_][\w.]*)|(<>|!=|<=|>=|[=<>(),*]))/y;
  let at = 0;
  while (at < jpql.length) {
    if (/^\s*$/.test(jpql.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(jpql);
    if (!m) return undefined;
    at = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'param', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'string', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'word', text: m[4] });
    else if (m[5]) tokens.push({ kind: 'op', text: m[5] });
  }
  return tokens;
}

class Fail extends Error {}

interface Alias {
  mapping: EntityMapping;
}

/** Looks up entity mappings by entity name (the JPQL `FROM Entity`). */
export type EntityLookup = (entity: string) => EntityMapping | undefined;

function columnOf(mapping: EntityMapping, path: string[]): string {
  const [first, second, ...rest] = path;
  if (first === undefined) throw new Fail('an empty path');
  const column = mapping.columns.find((c) => c.field.name === first);
  if (column && second === undefined) return column.column;
  // `p.owner.id`: the foreign key itself, no join needed
  if (column?.reference && rest.length === 0 && second !== undefined) {
    const target = column.field.type.name;
    if (second === 'id') return column.column;
    throw new Fail(
      `the path ${path.join('.')} goes through ${target}: join it (JOIN x.${first} y) to use its fields`,
    );
  }
  throw new Fail(`${mapping.cls.name} has no mapped column ${path.join('.')}`);
}

/** Translates the JPQL of a repository method whose entity is `root`. */
export function translateJpql(
  jpql: string,
  root: EntityMapping,
  lookup: EntityLookup,
  method: JpqlMethod,
): JpqlResult {
  try {
    return { ok: true, value: translate(jpql, root, lookup, method) };
  } catch (error) {
    if (error instanceof Fail) return { ok: false, why: error.message };
    throw error;
  }
}

function translate(jpql: string, root: EntityMapping, lookup: EntityLookup, method: JpqlMethod): JpqlSql {
  const tokens = tokenize(jpql.trim());
  if (!tokens) throw new Fail('the JPQL does not tokenize');
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isWord = (w: string): boolean => peek()?.kind === 'word' && peek()?.text.toUpperCase() === w;
  const expect = (w: string): void => {
    if (!isWord(w)) throw new Fail(`expected ${w} at "${peek()?.text ?? 'the end'}"`);
    i++;
  };
  if (isWord('UPDATE') || isWord('DELETE')) throw new Fail('an update or delete query (@Modifying)');
  expect('SELECT');
  const distinct = isWord('DISTINCT');
  if (distinct) i++;
  const selected = peek();
  if (selected?.kind !== 'word' || tokens[i + 1]?.text.toUpperCase() !== 'FROM')
    throw new Fail(
      'a query that selects something other than its entity (a projection, aggregate or constructor)',
    );
  i++;
  expect('FROM');
  const entity = peek()?.text ?? '';
  if (entity !== root.cls.name)
    throw new Fail(`a query from ${entity}, not the repository's entity ${root.cls.name}`);
  i++;
  if (isWord('AS')) i++;
  const rootAlias =
    peek()?.kind === 'word' && !KEYWORDS.has(peek()?.text.toUpperCase() ?? '') ? peek()!.text : '';
  if (rootAlias === '' || rootAlias !== selected.text)
    throw new Fail('the selected alias is not the FROM entity');
  i++;
  const aliases = new Map<string, Alias>([[rootAlias, { mapping: root }]]);
  const joins: string[] = [];
  let joinCount = 0;
  while (isWord('JOIN') || isWord('INNER') || isWord('LEFT')) {
    let kind = 'JOIN';
    if (isWord('LEFT')) {
      i++;
      if (isWord('OUTER')) i++;
      kind = 'LEFT JOIN';
    } else if (isWord('INNER')) i++;
    expect('JOIN');
    if (isWord('FETCH'))
      throw new Fail('a JOIN FETCH (it only changes what is loaded; drop FETCH if that is all)');
    const [from, field, ...more] = (peek()?.text ?? '').split('.');
    i++;
    if (isWord('AS')) i++;
    const alias = peek()?.text ?? '';
    i++;
    const source = aliases.get(from ?? '');
    if (!source || field === undefined || more.length > 0 || alias === '')
      throw new Fail('a join that is not alias.relation alias');
    const sm = source.mapping;
    const sid = sm.id?.column ?? 'id';
    const mm = sm.manyToMany.find((x) => x.field.name === field);
    const child = sm.children.find((x) => x.field.name === field);
    const ref = sm.columns.find((x) => x.field.name === field && x.reference);
    const targetName = mm?.entity ?? child?.entity ?? ref?.field.type.name ?? '';
    const target = lookup(targetName);
    if (!target) throw new Fail(`the join ${from}.${field} is not a mapped relation`);
    const tid = target.id?.column ?? 'id';
    if (mm) {
      const j = `j${++joinCount}`;
      joins.push(
        `${kind} ${mm.joinTable} ${j} ON ${j}.${mm.ownColumn} = ${from}.${sid} ${kind} ${target.table} ${alias} ON ${alias}.${tid} = ${j}.${mm.otherColumn}`,
      );
    } else if (child)
      joins.push(`${kind} ${target.table} ${alias} ON ${alias}.${child.foreignKey} = ${from}.${sid}`);
    else if (ref) joins.push(`${kind} ${target.table} ${alias} ON ${alias}.${tid} = ${from}.${ref.column}`);
    aliases.set(alias, { mapping: target });
  }
  const params: string[] = [];
  const placeholder = (t: Token): string => {
    let name: string | undefined;
    if (t.text.startsWith(':')) name = method.params.find((p) => p.bound === t.text.slice(1))?.name;
    else name = method.params[Number(t.text.slice(1)) - 1]?.name;
    if (name === undefined) throw new Fail(`the parameter ${t.text} is not one of the method's`);
    const at = params.indexOf(name);
    if (at >= 0) return `$${at + 1}`;
    params.push(name);
    return `$${params.length}`;
  };
  /** The index of the `)` closing the `(` at `open`, and the top-level commas between. */
  const closing = (open: number): { close: number; commas: number[] } => {
    const commas: number[] = [];
    for (let j = open + 1, depth = 0; j < tokens.length; j++) {
      const text = tokens[j]!.text;
      if (text === '(') depth++;
      else if (text === ')' && depth-- === 0) return { close: j, commas };
      else if (text === ',' && depth === 0) commas.push(j);
    }
    throw new Fail('unbalanced parentheses');
  };
  const expression = (stop: (t: Token) => boolean, end = tokens.length): string => {
    const out: string[] = [];
    while (i < end && !stop(tokens[i]!)) {
      const t = tokens[i++]!;
      // `x IN :list` binds a collection: Postgres wants `= ANY($n)` (`<> ALL($n)` for NOT IN)
      if (t.kind === 'param' && out.at(-1) === 'IN') {
        out.pop();
        const not = out.at(-1) === 'NOT';
        if (not) out.pop();
        out.push(`${not ? '<> ALL' : '= ANY'}(${placeholder(t)})`);
      } else if (t.kind === 'word' && t.text.toUpperCase() === 'CONCAT' && tokens[i]?.text === '(') {
        // Postgres's concat() cannot type an untyped parameter; `||` can
        const { close, commas } = closing(i);
        const bounds = [i, ...commas, close];
        const parts = bounds.slice(1).map((b, k) => {
          i = bounds[k]! + 1;
          return expression(() => false, b);
        });
        i = close + 1;
        out.push(`(${parts.join(' || ')})`);
      } else if (t.kind === 'param') out.push(placeholder(t));
      else if (t.kind === 'string' || t.kind === 'number') out.push(t.text);
      else if (t.kind === 'op') out.push(t.text === '!=' ? '<>' : t.text);
      else {
        const upper = t.text.toUpperCase();
        if (KEYWORDS.has(upper)) out.push(upper);
        else if (FUNCTIONS[upper] !== undefined && tokens[i]?.text === '(') out.push(FUNCTIONS[upper]);
        else if (
          ['SELECT', 'EXISTS', 'MEMBER', 'SIZE', 'EMPTY', 'TYPE', 'TREAT', 'KEY', 'VALUE', 'NEW'].includes(
            upper,
          )
        )
          throw new Fail(`${upper} in a condition (a subquery or collection function)`);
        else {
          const [alias, ...path] = t.text.split('.');
          const a = aliases.get(alias ?? '');
          if (!a || path.length === 0) throw new Fail(`"${t.text}" is not a path of a query alias`);
          out.push(`${alias}.${columnOf(a.mapping, path)}`);
        }
      }
    }
    return out
      .join(' ')
      .replace(/\( /g, '(')
      .replace(/ \)/g, ')')
      .replace(/ ,/g, ',')
      .replace(/(\w) \(/g, '$1(');
  };
  let where = '';
  if (isWord('WHERE')) {
    i++;
    where = ` WHERE ${expression((t) => t.kind === 'word' && ['ORDER', 'GROUP', 'HAVING'].includes(t.text.toUpperCase()))}`;
  }
  if (isWord('GROUP') || isWord('HAVING')) throw new Fail('GROUP BY / HAVING');
  let order = '';
  if (isWord('ORDER')) {
    i++;
    expect('BY');
    order = ` ORDER BY ${expression(() => false)}`;
  }
  if (i < tokens.length) throw new Fail(`unexpected "${tokens[i]?.text}"`);
  const columns = root.columns.map((c) => `${rootAlias}.${c.column}`).join(', ');
  const sql = `SELECT ${distinct ? 'DISTINCT ' : ''}${columns} FROM ${root.table} ${rootAlias}${joins.map((j) => ` ${j}`).join('')}${where}${order}`;
  return { sql, params, distinct };
}
