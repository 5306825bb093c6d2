// The `data` of partner webhook events: the same GraphQL types the API returns, serialized as the API would.
import {
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { PartnerEventRenderer } from '../services/domain/shared-services';
import { TRANSACTIONS_UPDATED_KIND } from '../services/domain/shared-services';
import { FinancialAccount } from './financial-account.type';
import { FinancialConnectionsFeature, RefreshStatus } from './financial-connections.enums';
import { fromStripeEnum } from './enum-map';
import { PaymentIntent, PaymentIntentStatus } from './payment-intent.type';

const FEATURES = {
  balance: FinancialConnectionsFeature.BALANCE,
  ownership: FinancialConnectionsFeature.OWNERSHIP,
  transactions: FinancialConnectionsFeature.TRANSACTIONS,
} as const;

/**
 * A type's plain fields as JSON, serialized by the schema's own scalars and enums (a DateTime becomes
 * the ISO string a query returns). Fields backed by a resolver (a nested object loaded on demand, like
 * FinancialAccount.balance) are not on the object and so not in the event: the partner queries them.
 */
function plain(type: GraphQLOutputType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const t = getNullableType(type);
  if (isListType(t)) return Array.isArray(value) ? value.map((v) => plain(t.ofType, v)) : null;
  if (isScalarType(t) || isEnumType(t)) return t.serialize(value);
  if (!isObjectType(t)) return null;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(t.getFields())) {
    if (Object.hasOwn(value as object, name))
      out[name] = plain(field.type, (value as Record<string, unknown>)[name]);
  }
  return out;
}

export function createPartnerEventRenderer(schema: GraphQLSchema): PartnerEventRenderer {
  const objectType = (name: string) => {
    const t = schema.getType(name);
    if (!t || !isObjectType(t)) throw new Error(`schema has no object type ${name}`);
    return t as GraphQLObjectType;
  };
  const accountType = objectType('FinancialAccount');
  const intentType = objectType('PaymentIntent');
  const account = async (
    source: { accountId?: unknown; account?: unknown },
    load: Parameters<PartnerEventRenderer>[1],
  ) => {
    const a =
      (source.account as Parameters<typeof FinancialAccount.fromStripe>[0] | undefined) ??
      (await load.account(String(source.accountId)));
    return plain(accountType, FinancialAccount.fromStripe(a));
  };
  return async (source, load) => {
    switch (source.kind) {
      case 'account.refreshed':
        return {
          financialAccount: await account(source, load),
          feature: FEATURES[source.feature],
          status: source.status === 'succeeded' ? RefreshStatus.SUCCEEDED : RefreshStatus.FAILED,
        };
      case 'account.updated':
      case TRANSACTIONS_UPDATED_KIND:
        return { financialAccount: await account(source as { accountId?: unknown }, load) };
      case 'payment_intent.updated': {
        const pi = PaymentIntent.fromStripe(await load.paymentIntent(source.paymentIntentId));
        // The event's status, not the (possibly newer) one read now: each event says what happened then.
        pi.status = fromStripeEnum(PaymentIntentStatus, source.status, PaymentIntentStatus.UNKNOWN);
        const data = plain(intentType, pi) as Record<string, unknown>;
        data.customer = pi.customerId ? { id: pi.customerId } : null;
        data.financialAccount = pi.financialAccountId ? { id: pi.financialAccountId } : null;
        return { paymentIntent: data };
      }
      default:
        return null;
    }
  };
}
