// Stripe snake_case enum values → the contract's UPPER_CASE enums, tolerant of values Stripe adds later.
import { registerEnumType } from 'type-graphql';

const UNKNOWN_DESCRIPTION =
  'A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response.';

/** Registers a contract enum whose `UNKNOWN` value is the {@link fromStripeEnum} fallback, with that value documented. */
export function registerStripeEnum<E extends { UNKNOWN: string }>(enumObject: E, name: string): void {
  const valuesConfig = { UNKNOWN: { description: UNKNOWN_DESCRIPTION } } as Partial<
    Record<keyof E, { description: string }>
  >;
  registerEnumType(enumObject, { name, valuesConfig });
}

/**
 * Why tolerant: Stripe adds enum values without a new API version (docs/security-catalogue.md UP7). A value this
 * gateway does not know must not crash the response, so it maps to `fallback` (UNKNOWN, or OTHER where the
 * contract already has a catch-all) and is reported once per process through `onUnknown` (a log warning).
 */
export function fromStripeEnum<E extends Record<string, string>>(
  enumObject: E,
  value: string | null | undefined,
  fallback: E[keyof E],
): E[keyof E] {
  if (value === null || value === undefined) return fallback;
  const upper = value.toUpperCase();
  if (Object.prototype.hasOwnProperty.call(enumObject, upper)) return enumObject[upper as keyof E];
  reportUnknown(enumObject, value);
  return fallback;
}

/**
 * For lists (permissions, prefetch, subscriptions): values this gateway does not know are dropped
 * rather than invented, so a client never sees an UNKNOWN permission it cannot act on.
 */
export function fromStripeEnumList<E extends Record<string, string>>(
  enumObject: E,
  values: readonly string[] | null | undefined,
  rename: Record<string, string> = {},
): E[keyof E][] {
  const out: E[keyof E][] = [];
  for (const raw of values ?? []) {
    const upper = (rename[raw] ?? raw).toUpperCase();
    if (Object.prototype.hasOwnProperty.call(enumObject, upper)) out.push(enumObject[upper as keyof E]);
    else reportUnknown(enumObject, raw);
  }
  return out;
}

type UnknownListener = (enumName: string, value: string) => void;
let listener: UnknownListener = () => undefined;
const seen = new Set<string>();

/** Installs the hook told once about each unknown Stripe enum value (the app logs a warning). */
export function onUnknownStripeEnumValue(fn: UnknownListener): void {
  listener = fn;
}

function reportUnknown(enumObject: object, value: string): void {
  const name = Object.keys(enumObject).join('|');
  const key = `${name}:${value}`;
  if (seen.has(key) || seen.size > 1000) return;
  seen.add(key);
  listener(name, value.slice(0, 64));
}
