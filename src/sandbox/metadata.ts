// Metadata updates as every v1 object takes them (docs.stripe.com/api/metadata): the keys given are set, a key
// given as "" is removed, and `metadata=""` (null once parsed, see params.ts) removes them all.
import type { Metadata } from './types';

/** `current` after the parsed `metadata` parameter `update`; a new object. */
export function updatedMetadata(current: Metadata, update: Metadata | null): Metadata {
  if (update === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(update))
    if (value === '') delete next[key];
    else next[key] = value;
  return next;
}
