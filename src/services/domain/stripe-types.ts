// The Stripe object types resolvers map from (their *.type.ts `fromStripe`): type-only, so resolvers never import
// 'stripe' or services/stripe/ themselves (.dependency-cruiser.cjs, resolvers-call-domain-only).
export type {
  FcAccount,
  FcBalance,
  FcOwner,
  FcOwnership,
  FcSession,
  FcTransaction,
  Mandate,
  PaymentIntent,
  PaymentMethod,
  SetupIntent,
  V1Customer,
  V2Account,
} from '../stripe/loader-types';
