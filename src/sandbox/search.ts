// Stripe's search query language for customers (docs.stripe.com/search): clauses `field:'value'` (exact,
// case-insensitive), `field~'value'` (substring, ≥ 3 chars), `created>123` (numbers), `metadata['key']:'value'`,
// `-clause` (negation), `field:null`, joined by AND or by OR (not both). Pages carry an opaque `next_page`.
import { invalidRequest } from './errors';

type Op = ':' | '~' | '>' | '<' | '>=' | '<=';

interface Clause {
  negate: boolean;
  field: string;
  metadataKey?: string;
  op: Op;
  value: string | number | null;
}

export interface Query {
  clauses: Clause[];
  join: 'AND' | 'OR';
}

const FIELDS = new Set(['email', 'name', 'phone', 'created', 'metadata', 'description']);

function bad(message: string): never {
  throw invalidRequest(message, { param: 'query', code: 'parameter_invalid_string' });
}

/** Parses a query; throws Stripe's 400 with `param: query` on a syntax error. */
export function parseQuery(input: string): Query {
  let i = 0;
  const s = input;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const clauses: Clause[] = [];
  const joins = new Set<'AND' | 'OR'>();
  const clause = (): Clause => {
    ws();
    let negate = false;
    if (s[i] === '-') {
      negate = true;
      i++;
    }
    const m = /^[a-z_]+/.exec(s.slice(i));
    if (!m) bad(`Invalid query: expected a field name at position ${i}.`);
    const field = m[0];
    i += field.length;
    if (!FIELDS.has(field)) bad(`Field '${field}' is an unsupported search field for customers.`);
    let metadataKey: string | undefined;
    if (field === 'metadata') {
      const mk = /^\[(['"])(.*?)\1\]/.exec(s.slice(i));
      if (!mk) bad("Invalid query: metadata fields are written metadata['key'].");
      metadataKey = mk[2];
      i += mk[0].length;
    }
    const om = /^(>=|<=|:|~|>|<)/.exec(s.slice(i));
    if (!om) bad(`Invalid query: expected an operator after '${field}'.`);
    const op = om[0] as Op;
    i += op.length;
    let value: string | number | null;
    const q = /^(['"])((?:\\.|(?!\1).)*)\1/.exec(s.slice(i));
    if (q) {
      value = q[2].replace(/\\(.)/g, '$1');
      i += q[0].length;
    } else {
      const n = /^(-?\d+(?:\.\d+)?|null)/.exec(s.slice(i));
      if (!n) bad(`Invalid query: expected a quoted value after '${field}${op}'.`);
      value = n[0] === 'null' ? null : Number(n[0]);
      i += n[0].length;
    }
    if (op === '~' && (typeof value !== 'string' || value.length < 3))
      bad('Substring search (~) needs at least 3 characters.');
    if ((op === '>' || op === '<' || op === '>=' || op === '<=') && typeof value !== 'number')
      bad(`Comparison ${op} needs a number.`);
    return { negate, field, metadataKey, op, value };
  };
  clauses.push(clause());
  for (;;) {
    ws();
    if (i >= s.length) break;
    const j = /^(AND|OR)\s/.exec(s.slice(i));
    if (!j) bad(`Invalid query: expected AND or OR at position ${i}.`);
    joins.add(j[1] as 'AND' | 'OR');
    i += j[1].length;
    clauses.push(clause());
  }
  if (joins.size > 1) bad('Invalid query: AND and OR cannot be combined in one query.');
  if (clauses.length > 10) bad('Invalid query: at most 10 clauses are allowed.');
  return { clauses, join: joins.has('OR') ? 'OR' : 'AND' };
}

function clauseMatches(c: Clause, obj: Record<string, unknown>): boolean {
  let actual: unknown;
  if (c.field === 'metadata') actual = (obj.metadata as Record<string, string> | undefined)?.[c.metadataKey!];
  else actual = obj[c.field];
  let result: boolean;
  if (c.value === null) result = actual === null || actual === undefined || actual === '';
  else if (typeof c.value === 'number') {
    const a = Number(actual);
    result =
      c.op === '>'
        ? a > c.value
        : c.op === '<'
          ? a < c.value
          : c.op === '>='
            ? a >= c.value
            : c.op === '<='
              ? a <= c.value
              : a === c.value;
  } else if (typeof actual !== 'string') result = false;
  else if (c.op === '~') result = actual.toLowerCase().includes(c.value.toLowerCase());
  else result = actual.toLowerCase() === c.value.toLowerCase();
  return c.negate ? !result : result;
}

export function matches(q: Query, obj: Record<string, unknown>): boolean {
  return q.join === 'AND'
    ? q.clauses.every((c) => clauseMatches(c, obj))
    : q.clauses.some((c) => clauseMatches(c, obj));
}

/** Page tokens are opaque to clients; they bind the offset to the query so a token can't be reused elsewhere. */
export function encodePage(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: query.length, o: offset })).toString('base64url');
}

export function decodePage(query: string, page: string): number {
  try {
    const v = JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) as { q: number; o: number };
    if (v.q !== query.length || !Number.isInteger(v.o) || v.o < 0) throw new Error('mismatch');
    return v.o;
  } catch {
    throw invalidRequest('Invalid page: the page token does not belong to this query.', { param: 'page' });
  }
}
