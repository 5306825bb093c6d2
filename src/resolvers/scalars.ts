// The contract's custom scalars, from graphql-scalars (one instance shared by every type).
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';

/** ISO-8601 UTC timestamps; Stripe's unix seconds are converted with {@link fromUnix}. */
export const DateTime = DateTimeResolver;
/** 53-bit safe integers (amounts in minor units); never Float. */
export const SafeInt = SafeIntResolver;

/** Stripe's unix seconds → Date (the DateTime scalar serializes it as ISO-8601 UTC). */
export function fromUnix(seconds: number): Date;
export function fromUnix(seconds: number | null | undefined): Date | null;
export function fromUnix(seconds: number | null | undefined): Date | null {
  return seconds === null || seconds === undefined ? null : new Date(seconds * 1000);
}

/** Date → Stripe's unix seconds. */
export const toUnix = (date: Date): number => Math.floor(date.getTime() / 1000);
