// Stripe's address object (customers, billing details): every key present, null when unknown.

export type Address = Record<'city' | 'country' | 'line1' | 'line2' | 'postal_code' | 'state', string | null>;

/** An address with every key, from partial ones; later parts win. */
export function fullAddress(...parts: (Partial<Address> | null | undefined)[]): Address {
  return Object.assign(
    { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    ...parts,
  ) as Address;
}
