// What `npm run trigger` does for each event type: the sandbox requests that produce it (its API and its test
// helpers), acting on the object a flag names or creating what is needed, as Stripe CLI's `stripe trigger` does.
import { ACCOUNT_RECIPES } from './account-recipes';
import { PAYMENT_RECIPES } from './payment-recipes';
import type { Recipe } from './steps';

export type { TriggerFlags, Touched } from './steps';

/** Every event type the CLI produces, the account events first (the order of `--list`). */
export const RECIPES: Record<string, Recipe> = { ...ACCOUNT_RECIPES, ...PAYMENT_RECIPES };
