// Deterministic, realistic account data: merchants, amounts, pending and posted transactions over months,
// owners. Same seed + same account → same data. `count` is the size knob (a benchmark can ask for 100,000).
import { Rng } from './random';
import type { AccountTemplate } from './institutions';

const DAY = 86_400;
/** Stripe returns up to 180 days of transaction history. */
export const HISTORY_DAYS = 180;

interface Merchant {
  name: string;
  min: number;
  max: number;
  weight: number;
}

const SPENDING: Merchant[] = [
  { name: 'Whole Foods Market', min: 1_200, max: 21_000, weight: 8 },
  { name: "Trader Joe's", min: 900, max: 12_000, weight: 6 },
  { name: 'Safeway', min: 700, max: 15_000, weight: 5 },
  { name: 'Starbucks', min: 350, max: 1_600, weight: 9 },
  { name: 'Blue Bottle Coffee', min: 450, max: 1_400, weight: 3 },
  { name: 'Chipotle Mexican Grill', min: 900, max: 3_200, weight: 4 },
  { name: 'Sweetgreen', min: 1_200, max: 2_400, weight: 3 },
  { name: 'DoorDash', min: 1_800, max: 6_500, weight: 4 },
  { name: 'Uber', min: 900, max: 5_800, weight: 5 },
  { name: 'Lyft', min: 800, max: 4_900, weight: 3 },
  { name: 'Rocket Rides', min: 1_000, max: 4_000, weight: 2 },
  { name: 'Shell', min: 2_500, max: 7_500, weight: 4 },
  { name: 'Chevron', min: 2_500, max: 8_000, weight: 3 },
  { name: 'Amazon.com', min: 800, max: 24_000, weight: 8 },
  { name: 'Target', min: 1_500, max: 19_000, weight: 5 },
  { name: 'Costco Wholesale', min: 4_000, max: 38_000, weight: 3 },
  { name: 'Walgreens', min: 500, max: 6_000, weight: 3 },
  { name: 'CVS Pharmacy', min: 500, max: 5_500, weight: 3 },
  { name: 'Home Depot', min: 1_500, max: 45_000, weight: 2 },
  { name: 'IKEA', min: 2_000, max: 60_000, weight: 1 },
  { name: 'Apple.com/bill', min: 99, max: 1_499, weight: 3 },
  { name: 'Netflix', min: 1_549, max: 2_299, weight: 1 },
  { name: 'Spotify USA', min: 1_099, max: 1_699, weight: 1 },
  { name: 'Comcast Xfinity', min: 6_000, max: 11_000, weight: 1 },
  { name: 'PG&E', min: 4_000, max: 22_000, weight: 1 },
  { name: 'Verizon Wireless', min: 5_500, max: 14_000, weight: 1 },
  { name: 'Delta Air Lines', min: 18_000, max: 95_000, weight: 1 },
  { name: 'Airbnb', min: 15_000, max: 120_000, weight: 1 },
  { name: 'Marriott Hotels', min: 16_000, max: 70_000, weight: 1 },
  { name: 'REI', min: 2_000, max: 30_000, weight: 1 },
  { name: 'Best Buy', min: 2_000, max: 150_000, weight: 1 },
  { name: 'Planet Fitness', min: 1_000, max: 2_500, weight: 1 },
  { name: 'Venmo', min: 1_000, max: 20_000, weight: 3 },
];

const CREDITS: Merchant[] = [
  { name: 'ACME Corp Payroll', min: 280_000, max: 340_000, weight: 6 },
  { name: 'Zelle from J. Smith', min: 2_000, max: 40_000, weight: 2 },
  { name: 'Venmo Cashout', min: 1_500, max: 25_000, weight: 2 },
  { name: 'IRS Treas 310 Tax Ref', min: 20_000, max: 180_000, weight: 1 },
];

const SAVINGS: Merchant[] = [
  { name: 'Transfer from Checking', min: 10_000, max: 200_000, weight: 6 },
  { name: 'Interest Payment', min: 50, max: 3_000, weight: 3 },
  { name: 'Transfer to Checking', min: -150_000, max: -10_000, weight: 3 },
];

function weighted(rng: Rng, list: Merchant[]): Merchant {
  const total = list.reduce((s, m) => s + m.weight, 0);
  let r = rng.next() * total;
  for (const m of list) {
    r -= m.weight;
    if (r <= 0) return m;
  }
  return list[list.length - 1];
}

export interface SeededTransaction {
  amount: number;
  description: string;
  status: 'pending' | 'posted' | 'void';
  transacted_at: number;
  posted_at: number | null;
  void_at: number | null;
}

function oneTransaction(rng: Rng, template: AccountTemplate, at: number, now: number): SeededTransaction {
  let amount: number;
  let description: string;
  if (template.subcategory === 'savings') {
    const m = weighted(rng, SAVINGS);
    amount = rng.int(Math.min(m.min, m.max), Math.max(m.min, m.max));
    description = m.name;
  } else if (template.category === 'credit') {
    if (rng.chance(0.06)) {
      amount = rng.int(20_000, 250_000);
      description = 'Payment - Thank You';
    } else {
      const m = weighted(rng, SPENDING);
      amount = -rng.int(m.min, m.max);
      description = m.name;
    }
  } else if (rng.chance(0.08)) {
    const m = weighted(rng, CREDITS);
    amount = rng.int(m.min, m.max);
    description = m.name;
  } else {
    const m = weighted(rng, SPENDING);
    amount = -rng.int(m.min, m.max);
    description = m.name;
  }
  const ageDays = (now - at) / DAY;
  // Card-like debits stay pending for a couple of days; a few older ones were voided (released holds).
  if (ageDays < 2.5 && rng.chance(0.7))
    return { amount, description, status: 'pending', transacted_at: at, posted_at: null, void_at: null };
  if (rng.chance(0.01)) {
    return {
      amount,
      description,
      status: 'void',
      transacted_at: at,
      posted_at: null,
      void_at: at + rng.int(DAY, 3 * DAY),
    };
  }
  return {
    amount,
    description,
    status: 'posted',
    transacted_at: at,
    posted_at: Math.min(now, at + rng.int(3600, 2 * DAY)),
    void_at: null,
  };
}

/**
 * `count` transactions spread over the last HISTORY_DAYS days before `now`, newest first.
 * @param rng a generator forked for this account, so other accounts do not change its data.
 */
export function seedHistory(
  rng: Rng,
  template: AccountTemplate,
  count: number,
  now: number,
): SeededTransaction[] {
  const times: number[] = [];
  const span = HISTORY_DAYS * DAY;
  for (let i = 0; i < count; i++) times.push(now - Math.floor(rng.next() * span));
  times.sort((a, b) => b - a);
  return times.map((t) => oneTransaction(rng, template, t, now));
}

/** A few new transactions between `from` and `now` (what a later refresh discovers). */
export function seedNewTransactions(
  rng: Rng,
  template: AccountTemplate,
  from: number,
  now: number,
): SeededTransaction[] {
  const n = rng.int(1, 4);
  const out: SeededTransaction[] = [];
  for (let i = 0; i < n; i++)
    out.push(oneTransaction(rng, template, now - Math.floor(rng.next() * Math.max(1, now - from)), now));
  return out.sort((a, b) => b.transacted_at - a.transacted_at);
}

const FIRST = [
  'Jenny',
  'Alex',
  'Maria',
  'Sam',
  'Priya',
  'Diego',
  'Aisha',
  'Chen',
  'Olivia',
  'Marcus',
  'Yuki',
  'Fatima',
];
const LAST = [
  'Rosen',
  'Johnson',
  'Garcia',
  'Nguyen',
  'Patel',
  'Okafor',
  'Kim',
  'Müller',
  'Smith',
  'Cohen',
  'Silva',
  'Khan',
];
const STREETS = [
  'Market St',
  'Mission St',
  'Valencia St',
  'Broadway',
  'Main St',
  'Oak Ave',
  'Pine St',
  'Elm St',
];
const CITIES = [
  ['San Francisco', 'CA', '941'],
  ['Oakland', 'CA', '946'],
  ['Seattle', 'WA', '981'],
  ['Austin', 'TX', '787'],
  ['Brooklyn', 'NY', '112'],
  ['Chicago', 'IL', '606'],
];

export interface SeededOwner {
  name: string;
  email: string | null;
  phone: string | null;
  raw_address: string | null;
}

/** The owners an institution reports for an account (same seed → same people). */
export function seedOwners(rng: Rng, template: AccountTemplate): SeededOwner[] {
  const out: SeededOwner[] = [];
  const [city, state, zip] = rng.pick(CITIES);
  const address = `${rng.int(10, 9999)} ${rng.pick(STREETS)}, ${city}, ${state} ${zip}${String(rng.int(10, 99))}`;
  for (let i = 0; i < template.owners; i++) {
    if (template.businessOwner && i === 0) {
      out.push({
        name: template.businessOwner,
        email: 'finance@rocketrides.example',
        phone: '+14155550100',
        raw_address: address,
      });
      continue;
    }
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    out.push({
      name: `${first} ${last}`,
      // Letters without their accents (Müller → muller), as mailbox names are usually written; nothing dropped.
      email:
        `${first}.${last}`
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
          .replace(/[^a-z.]/g, '') + '@example.com',
      phone: `+1${rng.int(201, 989)}555${String(rng.int(0, 9999)).padStart(4, '0')}`,
      raw_address: address,
    });
  }
  return out;
}
