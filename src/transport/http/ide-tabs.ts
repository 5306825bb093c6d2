// The IDE's example tabs: one operation of schema/operations/ per tab, with variables that run as they stand.
import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { projectRoot } from './web-assets';

/** Where the page finds an id it fills in: the demo's last customer or account (this browser), or a fresh key. */
export type DemoValue = 'customerId' | 'accountId' | 'uniqueKey';

/** One pre-filled IDE tab. */
export interface IdeTab {
  title: string;
  query: string;
  /** JSON for the variables editor. */
  variables?: string;
  /** Variables (dotted paths into `variables`) the page fills from what the demo left in this browser. */
  demoValues?: Record<string, DemoValue>;
}

interface Example {
  variables?: Record<string, unknown>;
  demoValues?: Record<string, DemoValue>;
}

const customer = (name = 'id'): Example => ({
  variables: { [name]: '' },
  demoValues: { [name]: 'customerId' },
});
const account = (name = 'id'): Example => ({
  variables: { [name]: '' },
  demoValues: { [name]: 'accountId' },
});
const refresh = (feature: string): Example => ({
  variables: { input: { accountId: '', features: [feature] } },
  demoValues: { 'input.accountId': 'accountId' },
});

/**
 * The operations shown, by name, with the variables they run with. Why a list and not every operation: the others
 * need an id the demo does not keep in the browser (a payment, a transaction, a session, a mandate), would break the
 * demo (disconnecting its account), or are the steps the payments tests take before paying (payments-setup.graphql).
 * Optional variables are left out: the operation runs with its defaults.
 */
const EXAMPLES: Record<string, Example> = {
  ViewerCustomer: {},
  CreateCustomer: { variables: { input: { email: 'ide@example.com', name: 'IDE Example' } } },
  GetCustomer: customer(),
  ListCustomers: { variables: { first: 5 } },
  CreateCustomerToken: {
    variables: { input: { customerId: '' } },
    demoValues: { 'input.customerId': 'customerId' },
  },
  CustomerDashboard: customer(),
  CustomerAccounts: customer(),
  GetFinancialAccount: account(),
  GetFinancialAccountBalance: account(),
  GetAccountOwners: account(),
  GetAccountTransactions: account(),
  GetNode: account(),
  RefreshFinancialAccount: refresh('BALANCE'),
  RefreshTransactions: refresh('TRANSACTIONS'),
  TransactionUpdates: account('accountId'),
  FinancialAccountRefreshed: customer('customerId'),
  TransactionUpdatesAvailable: account('accountId'),
  CreateSession: {
    variables: { input: { customerId: '', permissions: ['BALANCES', 'PAYMENT_METHOD'] } },
    demoValues: { 'input.customerId': 'customerId' },
  },
  CreatePaymentIntent: {
    variables: {
      input: {
        customerId: '',
        financialAccountId: '',
        amount: 500,
        currency: 'usd',
        billingName: 'Jenny Rosen',
        idempotencyKey: '',
      },
    },
    demoValues: {
      'input.customerId': 'customerId',
      'input.financialAccountId': 'accountId',
      'input.idempotencyKey': 'uniqueKey',
    },
  },
  CustomerPaymentIntents: customer('customerId'),
  PaymentIntentUpdated: customer('customerId'),
  CustomerPaymentMethods: customer('customerId'),
  SavedAccounts: customer('customerId'),
};

/** The fragments an operation spreads, directly or through other fragments, in the file's order. */
function fragmentsOf(op: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>) {
  const used = new Set<string>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const def = fragments.get(name);
        if (used.has(name) || !def) return;
        used.add(name);
        walk(def);
      },
    });
  walk(op);
  return [...fragments.values()].filter((f) => used.has(f.name.value));
}

/** The text of a definition as written in the file, with the comment lines right above it. */
function sourceOf(text: string, node: DefinitionNode): string {
  const start = node.loc!.start;
  const before = text.slice(0, start).split('\n');
  before.pop(); // the definition's own line, up to its start
  const comments: string[] = [];
  while (before.length && before[before.length - 1].startsWith('#')) comments.unshift(before.pop()!);
  return [...comments, text.slice(start, node.loc!.end)].join('\n');
}

/**
 * One tab per example operation of `schema/operations/*.graphql` (files sorted by name, operations in file order),
 * each holding the operation and the fragments it uses, so Run never asks which operation to run.
 */
export function exampleOperations(
  dir = path.join(projectRoot(), 'schema', 'operations'),
  examples: Record<string, Example> = EXAMPLES,
): IdeTab[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  } catch {
    return [];
  }
  const tabs: IdeTab[] = [];
  for (const file of files.sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    let defs: readonly DefinitionNode[];
    try {
      defs = parse(text).definitions;
    } catch {
      continue;
    }
    const fragments = new Map(
      defs
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    for (const op of defs) {
      if (op.kind !== Kind.OPERATION_DEFINITION || !op.name) continue;
      const example = examples[op.name.value];
      if (!example) continue;
      const query = [op, ...fragmentsOf(op, fragments)].map((d) => sourceOf(text, d)).join('\n\n') + '\n';
      tabs.push({
        title: op.name.value,
        query,
        ...(example.variables ? { variables: JSON.stringify(example.variables, null, 2) } : {}),
        ...(example.demoValues ? { demoValues: example.demoValues } : {}),
      });
    }
  }
  return tabs;
}
