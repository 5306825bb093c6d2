// The Relay `Node` interface and the id-prefix registry that `node(id:)` resolves through.
import { Field, ID, InterfaceType } from 'type-graphql';
import type { GatewayContext } from '../context';

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

const registry = new Map<string, NodeLoader>();

/**
 * Registers the loader for ids with these Stripe prefixes (`fca`, `pi`, …). Each type's resolver
 * module registers itself at import time, so adding a type to the schema adds it to `node(id:)`.
 * @returns `load`, for the type's own by-id query (`financialAccount(id:)` and `node(id:)` answer alike).
 * @throws Error when a prefix is registered twice (two modules claiming one id space is a bug).
 */
export function registerNodeLoader<T extends Node>(
  prefixes: readonly string[],
  load: (ctx: GatewayContext, id: string) => Promise<T>,
): (ctx: GatewayContext, id: string) => Promise<T> {
  for (const prefix of prefixes) {
    if (registry.has(prefix)) throw new Error(`node loader for prefix "${prefix}_" registered twice`);
    registry.set(prefix, load);
  }
  return load;
}

/** The loader for a Stripe id prefix, if any type registered it. */
export function nodeLoaderFor(prefix: string): NodeLoader | undefined {
  return registry.get(prefix);
}
