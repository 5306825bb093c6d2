// Builds the executable GraphQL schema from the type-graphql resolvers.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from './resolvers';

/** @param pubSub the subscription event bus; omit for schema emission. */
export async function buildGatewaySchema(
  options: { pubSub?: PubSub; emitSchemaFile?: string } = {},
): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    pubSub: options.pubSub,
    emitSchemaFile: options.emitSchemaFile ? { path: options.emitSchemaFile, sortedSchema: false } : false,
    validate: false,
  });
}
