// The Relay `Node` interface, the one grammar of qualified ids, and the id-shape registry `node(id:)` resolves through.
import { Field, ID, InterfaceType } from 'type-graphql';
import type { GatewayContext } from '../context';
import { idPrefix } from '../services/domain/stripe-readers';

/**
 * Every Stripe-backed object. Implementations are class instances (built by each type's
 * `fromStripe`), so type-graphql resolves the concrete type with `instanceof`.
 */
@InterfaceType('Node')
export abstract class Node {
  @Field(() => ID)
  id!: string;
}

/** Loads one object by id for the caller, tenancy-checked; throws NOT_FOUND when it is not the caller's. */
export type NodeLoader = (ctx: GatewayContext, id: string) => Promise<Node | null>;

/**
 * Why qualified ids: Stripe retrieves most objects by their id alone, but an ownership and an owner only through their
 * account (`GET /v1/financial_connections/accounts/{account}/owners?ownership=fcaowns_…`), and a webhook delivery is
 * the pair (endpoint, event). Such an object's id is its own id (or the event's) followed by the ids it is reached
 * through, most specific first, joined by `.` (never part of a Stripe id): `fcaowns_….fca_…`, `fcaown_….fca_…`,
 * `wevt_….we_…`. The id is a function of the object alone, so it is the same however the object was reached, and it
 * still starts with the object's own Stripe prefix.
 */
const SEPARATOR = '.';
/** More segments than any qualified id has: refused before anything else looks at them. */
const MAX_SEGMENTS = 3;

/** The qualified id of an object reached through `parents` (see {@link SEPARATOR}). */
export const qualifiedId = (own: string, ...parents: string[]): string => [own, ...parents].join(SEPARATOR);

/**
 * The segments of an id whose shape (its segments' prefixes joined by `.`, e.g. `fcaowns.fca`) is `shape`, each a
 * well-formed Stripe-style id; null otherwise (a loader answers NOT_FOUND for it).
 */
export function idSegments(id: string, shape: string): string[] | null {
  return idShape(id) === shape ? id.split(SEPARATOR) : null;
}

/** `fca` for `fca_1`, `fcaowns.fca` for `fcaowns_1.fca_2`; null when any segment is malformed. */
export function idShape(id: string): string | null {
  if (typeof id !== 'string') return null;
  const segments = id.split(SEPARATOR);
  if (segments.length > MAX_SEGMENTS) return null;
  const prefixes = segments.map(idPrefix);
  return prefixes.every((p): p is string => p !== null) ? prefixes.join(SEPARATOR) : null;
}

const registry = new Map<string, NodeLoader>();

/**
 * Registers the loader for ids of these shapes ({@link idShape}: a Stripe prefix such as `fca` or `pi`, or a qualified
 * shape such as `fcaowns.fca`). Each type's resolver module registers itself at import time, so adding a type to the
 * schema adds it to `node(id:)` (test/integration/node.test.ts fails for a `Node` type none resolves).
 * @returns `load`, for the type's own by-id query (`financialAccount(id:)` and `node(id:)` answer alike).
 * @throws Error when a shape is registered twice (two modules claiming one id space is a bug).
 */
export function registerNodeLoader<T extends Node>(
  shapes: readonly string[],
  load: (ctx: GatewayContext, id: string) => Promise<T>,
): (ctx: GatewayContext, id: string) => Promise<T> {
  for (const shape of shapes) {
    if (registry.has(shape)) throw new Error(`node loader for id shape "${shape}" registered twice`);
    registry.set(shape, load);
  }
  return load;
}

/** The loader for an id shape ({@link idShape}), if any type registered it. */
export function nodeLoaderFor(shape: string): NodeLoader | undefined {
  return registry.get(shape);
}
