// Which resolver field was running when each Stripe request went out: every field's resolver (and subscribe) runs
// inside an AsyncLocalStorage scope naming it, and stripe-node's `request` event reads the scope.
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import type Stripe from 'stripe';

const resolving = new AsyncLocalStorage<string>();

/**
 * Wraps every field of `schema` (in place) so that what it starts, DataLoader batches included (they run in the
 * scope of the load that opened them), is attributed to `Type.field`.
 */
export function attributeFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) =>
        resolving.run(coordinate, () => resolve(source, args, context, info));
      const subscribe = field.subscribe;
      if (subscribe)
        field.subscribe = (source, args, context, info) =>
          resolving.run(coordinate, () => subscribe(source, args, context, info));
    }
  }
  return schema;
}

/** Records, per Stripe request `stripe` sends, the field that was resolving (`(none)` outside any field). */
export function recordRequestFields(stripe: Stripe): { fields: string[] } {
  const record = { fields: [] as string[] };
  stripe.on('request', () => record.fields.push(resolving.getStore() ?? '(none)'));
  return record;
}
