// What resolvers may read off Stripe's ids and objects without a request: id prefixes, the customer or account an
// object names, and Relay paging arguments checked into Stripe's. Pure functions only: no client, loader, cache.
export { idPrefix, requireId, STRIPE_ID_PREFIXES } from '../stripe/ids';
export { financialAccountIdOf, holderCustomerId, intentCustomerId } from '../stripe/stripe-objects';
export { MAX_FILTER_SCAN_PAGES, pageParams, type PageParams } from '../stripe/paging';
