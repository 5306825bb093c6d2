// Builds the executable GraphQL schema from the type-graphql resolvers.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from './resolvers';

/**
 * Stands in for the event bus when the schema is only emitted or inspected (type-graphql refuses to
 * build subscriptions without one). Subscribing to it yields nothing and ends at once.
 */
const SCHEMA_ONLY_PUBSUB: PubSub = {
  publish: () => undefined,
  subscribe: () => ({
    [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
  }),
};

/** @param pubSub the subscription event bus; omit for schema emission. */
export async function buildGatewaySchema(
  options: { pubSub?: PubSub; emitSchemaFile?: string } = {},
): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    pubSub: options.pubSub ?? SCHEMA_ONLY_PUBSUB,
    emitSchemaFile: options.emitSchemaFile ? { path: options.emitSchemaFile, sortedSchema: false } : false,
    validate: false,
  });
}
