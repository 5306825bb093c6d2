// `expand[]`: replaces ids in a response with the objects they name, along dotted paths (`payment_method.customer`),
// at most 4 levels deep; on lists, paths start with `data.` (docs.stripe.com/api/expanding_objects). Which fields
// may be expanded is the spec's: each segment must be in its schema's x-expandableFields (expandable-fields.ts).
import { EXPANDABLE_FIELDS } from './expandable-fields';
import { invalidRequest } from './errors';

export type Resolver = (id: string) => Record<string, unknown> | undefined;

const MAX_DEPTH = 4;

function fail(path: string): never {
  throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
}

function tooDeep(path: string): never {
  throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, {
    param: 'expand',
  });
}

/**
 * Checks `segments` against the spec from `schema`: every segment an expandable field of the schema it
 * is read from; an embedded list is walked through `data`. Static, as Stripe's check is: a path the
 * spec allows is accepted even where this object's value is null or absent.
 */
function checkPath(schema: string | undefined, segments: string[], path: string): void {
  let current = schema;
  for (let i = 0; i < segments.length; i++) {
    const fields = current ? EXPANDABLE_FIELDS[current] : undefined;
    if (!fields || !Object.prototype.hasOwnProperty.call(fields, segments[i])) fail(path);
    const target = fields[segments[i]];
    if (target?.startsWith('list:')) {
      // A list's items are reached through `data` (session.accounts.data.account_holder).
      if (i + 1 < segments.length) {
        if (segments[i + 1] !== 'data') fail(path);
        i += 1;
      }
      current = target.slice('list:'.length);
    } else {
      current = target ?? undefined;
    }
  }
}

/** The item schema of the lists the sandbox serves, by the list's `url` (as the spec's list responses name them). */
const LIST_ITEMS: [RegExp, string][] = [
  [/^\/v1\/financial_connections\/accounts\/[^/]+\/owners$/, 'financial_connections.account_owner'],
  [/^\/v1\/financial_connections\/accounts$/, 'financial_connections.account'],
  [/^\/v1\/financial_connections\/transactions$/, 'financial_connections.transaction'],
  [/^\/v1\/customers(\/search)?$/, 'customer'],
  [/^\/v1\/(customers\/[^/]+\/)?payment_methods$/, 'payment_method'],
  [/^\/v1\/payment_intents$/, 'payment_intent'],
  [/^\/v1\/setup_intents$/, 'setup_intent'],
  [/^\/v1\/events$/, 'event'],
  [/^\/v1\/webhook_endpoints$/, 'webhook_endpoint'],
];

function listItemSchema(url: unknown): string | undefined {
  const bare = typeof url === 'string' ? url.split('?')[0] : '';
  return LIST_ITEMS.find(([pattern]) => pattern.test(bare))?.[1];
}

/**
 * Whether Stripe accepts `path` as an `expand[]` entry on an object of `schema` (no `data.` prefix):
 * every segment expandable per the spec, at most 4 levels.
 */
export function isExpandablePath(schema: string, path: string): boolean {
  const segments = path.split('.');
  if (segments.length > MAX_DEPTH) return false;
  try {
    checkPath(schema, segments, path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies each path in `paths` to `body` (mutating the fresh response copy).
 * @param isList the response is a list or search result: paths must start with `data.`.
 * @throws 400 for a path that names no expandable field, or deeper than 4 levels.
 */
export function applyExpand(
  body: Record<string, unknown>,
  paths: string[],
  resolve: Resolver,
  isList: boolean,
): void {
  for (const path of paths) {
    let segments = path.split('.');
    if (isList) {
      if (segments[0] !== 'data' || segments.length < 2) fail(path);
      segments = segments.slice(1);
    }
    if (segments.length > MAX_DEPTH) tooDeep(path);
    const items = isList ? (body.data as Record<string, unknown>[]) : [body];
    // An empty list has no item to name its schema: its URL does (a path is refused whatever the data).
    const itemSchema = isList ? listItemSchema(body.url) : undefined;
    if (itemSchema) checkPath(itemSchema, segments, path);
    for (const item of items) {
      checkPath(item.object as string | undefined, segments, path);
      expandIn(item, segments, resolve, path);
    }
  }
}

function expandIn(obj: Record<string, unknown>, segments: string[], resolve: Resolver, path: string): void {
  const [head, ...rest] = segments;
  let value = obj[head];
  if (typeof value === 'string') {
    const found = resolve(value);
    if (!found) fail(path);
    obj[head] = found;
    value = found;
  } else if (value === null || value === undefined || typeof value !== 'object') {
    // Nothing to expand (null or absent stays so), as Stripe does.
    return;
  }
  if (rest.length === 0) return;
  const next = value as Record<string, unknown>;
  // Nested lists inside an object (e.g. session.accounts.data.x) are walked element by element.
  if (next.object === 'list' && rest[0] === 'data' && Array.isArray(next.data)) {
    for (const item of next.data as Record<string, unknown>[])
      if (rest.length > 1) expandIn(item, rest.slice(1), resolve, path);
    return;
  }
  expandIn(next, rest, resolve, path);
}
