// The naive baseline of the Stripe-requests benchmark: a resolver-per-field GraphQL server over the same contract
// schema and the same Stripe (sandbox), with no DataLoaders, no cache and no de-duplication.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import {
  buildSchema,
  getNamedType,
  graphql,
  isEnumType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import Stripe from 'stripe';

/* eslint-disable @typescript-eslint/no-explicit-any -- Stripe objects are read field by field here */
type Obj = Record<string, any>;
interface Ctx {
  partnerId: string;
  stripe: Stripe;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const money = (amounts: Obj | null | undefined) =>
  amounts ? Object.entries(amounts).map(([currency, amount]) => ({ amount, currency })) : null;
const connection = (list: { data: Obj[]; has_more: boolean }) => ({
  nodes: list.data,
  edges: list.data.map((n) => ({ cursor: n.id, node: n })),
  pageInfo: { hasNextPage: list.has_more, endCursor: list.data.at(-1)?.id ?? null },
});

/**
 * What a first implementation typically looks like: each field that needs Stripe data asks Stripe
 * for it, each id-taking field checks tenancy by fetching the customer, nothing is remembered.
 * Every field the suite reads is implemented honestly (same values as the gateway), so the only
 * difference measured is the number of upstream calls.
 */
function naiveResolvers(): Record<string, Record<string, GraphQLFieldResolver<any, Ctx, any>>> {
  const owned = async (ctx: Ctx, customerId: string | null | undefined) => {
    if (!customerId) throw new Error('not found');
    const c = (await ctx.stripe.customers.retrieve(customerId)) as Obj;
    if (c.deleted || c.metadata?.gateway_partner_id !== ctx.partnerId) throw new Error('not found');
    return c;
  };
  return {
    Query: {
      customer: async (_r, { id }, ctx) => owned(ctx, id),
      financialAccount: async (_r, { id }, ctx) => {
        const a = (await ctx.stripe.financialConnections.accounts.retrieve(id)) as Obj;
        await owned(ctx, a.account_holder?.customer);
        return a;
      },
      financialConnectionsSession: async (_r, { id }, ctx) => {
        const s = (await ctx.stripe.financialConnections.sessions.retrieve(id)) as Obj;
        await owned(ctx, s.account_holder?.customer);
        return s;
      },
    },
    Customer: {
      model: () => 'CUSTOMER',
      financialAccounts: async (c: Obj, { first }, ctx) =>
        connection(
          (await ctx.stripe.financialConnections.accounts.list({
            account_holder: { customer: c.id },
            limit: first ?? 10,
          })) as any,
        ),
    },
    FinancialConnectionsSession: {
      accountHolder: (s: Obj) => s.account_holder,
      accounts: async (s: Obj, { first }, ctx) =>
        connection(
          (await ctx.stripe.financialConnections.accounts.list({ session: s.id, limit: first ?? 10 })) as any,
        ),
    },
    AccountHolder: {
      type: (h: Obj) => String(h.type).toUpperCase(),
      customer: async (h: Obj, _a, ctx) => owned(ctx, h.customer),
    },
    FinancialAccount: {
      accountHolder: (a: Obj) => a.account_holder,
      balance: (a: Obj) => a.balance,
      ownership: async (a: Obj, _args, ctx) => {
        if (!a.ownership) return null;
        const withOwnership = (await ctx.stripe.financialConnections.accounts.retrieve(a.id, {
          expand: ['ownership'],
        })) as Obj;
        return { ...withOwnership.ownership, account: a.id };
      },
      transactions: async (a: Obj, { first, after }, ctx) =>
        connection(
          (await ctx.stripe.financialConnections.transactions.list({
            account: a.id,
            limit: first ?? 10,
            ...(after ? { starting_after: after } : {}),
          })) as any,
        ),
    },
    Balance: {
      asOf: (b: Obj) => new Date(b.as_of * 1000).toISOString(),
      type: (b: Obj) => String(b.type).toUpperCase(),
      current: (b: Obj) => money(b.current),
      cashAvailable: (b: Obj) => money(b.cash?.available),
      creditUsed: (b: Obj) => money(b.credit?.used),
    },
    Ownership: {
      owners: async (o: Obj, { first }, ctx) =>
        connection(
          (await ctx.stripe.financialConnections.accounts.listOwners(o.account, {
            ownership: o.id,
            limit: first ?? 10,
          })) as any,
        ),
    },
    Transaction: {
      amount: (t: Obj) => ({ amount: t.amount, currency: t.currency }),
      transactedAt: (t: Obj) => new Date(t.transacted_at * 1000).toISOString(),
    },
  };
}

/** Reads snake_case Stripe fields for camelCase GraphQL fields; enum values are upper-cased. */
const defaultField: GraphQLFieldResolver<Obj, Ctx> = (source, _args, _ctx, info) => {
  const v = source?.[info.fieldName] ?? source?.[snake(info.fieldName)];
  const named = getNamedType(info.returnType);
  if (v != null && isEnumType(named))
    return Array.isArray(v) ? v.map((x) => String(x).toUpperCase()) : String(v).toUpperCase();
  return v;
};

export function buildNaiveSchema(): GraphQLSchema {
  const schema = buildSchema(
    readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'),
  );
  for (const [typeName, fields] of Object.entries(naiveResolvers())) {
    const type = schema.getType(typeName) as { getFields(): Record<string, { resolve?: unknown }> };
    for (const [field, resolve] of Object.entries(fields)) type.getFields()[field].resolve = resolve;
  }
  return schema;
}

export interface NaiveServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the naive server on a free port; `partners` maps API keys to partner ids. */
export async function startNaiveServer(options: {
  apiBase: string;
  secretKey: string;
  partners: Record<string, string>;
}): Promise<NaiveServer> {
  const base = new URL(options.apiBase);
  const stripe = new Stripe(options.secretKey, {
    host: base.hostname,
    port: Number(base.port),
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const schema = buildNaiveSchema();
  const app = Fastify();
  app.post('/graphql', async (request, reply) => {
    const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    const partnerId = options.partners[token];
    if (!partnerId) return reply.code(401).send({ errors: [{ message: 'unauthenticated' }] });
    const body = request.body as { query: string; variables?: Record<string, unknown> };
    return graphql({
      schema,
      source: body.query,
      variableValues: body.variables,
      contextValue: { partnerId, stripe } satisfies Ctx,
      fieldResolver: defaultField,
    });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => app.close() };
}
