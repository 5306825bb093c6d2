// `expand[]`: replaces ids in a response with the objects they name, along dotted paths (`payment_method.customer`),
// at most 4 levels deep; on lists, paths start with `data.` (docs.stripe.com/api/expanding_objects).
import { invalidRequest } from './errors';

export type Resolver = (id: string) => Record<string, unknown> | undefined;

const MAX_DEPTH = 4;

function fail(path: string): never {
  throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
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
      const data = body.data as Record<string, unknown>[];
      if (segments.length > MAX_DEPTH)
        throw invalidRequest(
          `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`,
          { param: 'expand' },
        );
      for (const item of data) expandIn(item, segments, resolve, path);
      continue;
    }
    if (segments.length > MAX_DEPTH)
      throw invalidRequest(
        `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`,
        { param: 'expand' },
      );
    expandIn(body, segments, resolve, path);
  }
}

function expandIn(obj: Record<string, unknown>, segments: string[], resolve: Resolver, path: string): void {
  const [head, ...rest] = segments;
  if (!head || !Object.prototype.hasOwnProperty.call(obj, head)) fail(path);
  let value = obj[head];
  if (typeof value === 'string') {
    const found = resolve(value);
    if (!found) fail(path);
    obj[head] = found;
    value = found;
  } else if (value === null || value === undefined) {
    // Nothing to expand (null stays null), as Stripe does.
    return;
  } else if (typeof value !== 'object') {
    fail(path);
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
