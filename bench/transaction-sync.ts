// Benchmark: Stripe requests of an incremental sync (FinancialAccount.transactionUpdates) against a full re-list.
//
// Run: `npm run build && node dist/bench/transaction-sync.js` (prints the markdown section and writes it into
// bench/RESULTS.md in place of an earlier one), or call transactionSyncSection() from bench/run (`npm run bench`).
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';
import { createGateway } from '../src/app';
import { parseConfig } from '../src/platform/config';
import { createSandbox, SANDBOX_SECRET_KEY } from '../src/sandbox/server';
import { mustPost } from './suite';

const PARTNER = { partnerId: 'bench', apiKey: 'bench_partner_key_0123456789' };
const TRANSACTIONS = 2_500;
const HEADING = '## 4. Transaction sync';

const SYNC = `query Sync($id: ID!, $cursor: String) {
  financialAccount(id: $id) {
    transactionUpdates(cursor: $cursor, first: 100) { added { id status } modified { id status } removed nextCursor hasMore }
  }
}`;
const LIST = `query List($id: ID!, $after: String) {
  financialAccount(id: $id) { transactions(first: 100, after: $after) { nodes { id status } pageInfo { hasNextPage endCursor } } }
}`;

export async function transactionSyncSection(): Promise<string> {
  const sb = await createSandbox({ port: 0, transactionsPerAccount: TRANSACTIONS, refreshDelayMs: 20 });
  await sb.listen();
  const gateway = await createGateway(
    parseConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      STRIPE_API_BASE: sb.url!,
      STRIPE_SECRET_KEY: SANDBOX_SECRET_KEY,
      PARTNER_KEYS: `${PARTNER.partnerId}:${PARTNER.apiKey}`,
      TOKEN_SECRET: 'bench-token-secret-0123456789abcdef0123456789',
      RATE_LIMIT_PER_MINUTE: '1000000000',
      STRIPE_MAX_RPS: '1000',
    }),
  );
  const url = `${await gateway.listen()}/graphql`;
  const call = (query: string, variables: Record<string, unknown>) =>
    mustPost(url, PARTNER.apiKey, { query, variables });
  /** Upstream requests `fn` causes, counted on the sandbox's own request log. */
  const count = async (fn: () => Promise<unknown>) => {
    const before = sb.requestLog.length;
    await fn();
    return sb.requestLog.length - before;
  };
  const u = new URL(sb.url!);
  const stripe = new Stripe(SANDBOX_SECRET_KEY, {
    host: u.hostname,
    port: Number(u.port),
    protocol: 'http',
    telemetry: false,
  });
  try {
    const customer = (
      await call('mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }', {
        i: { email: 'sync.bench@example.com' },
      })
    ).createCustomer.customer.id as string;
    const session = (
      await call(
        'mutation($i: CreateFinancialConnectionsSessionInput!) { createFinancialConnectionsSession(input: $i) { session { id } } }',
        { i: { customerId: customer, permissions: ['TRANSACTIONS'], prefetch: ['TRANSACTIONS'] } },
      )
    ).createFinancialConnectionsSession.session.id as string;
    const id = sb.completeSession(session, { accounts: ['checking'] }).accounts[0].id as string;

    let cursor: string | null = null;
    const syncAll = async () => {
      let more = true;
      while (more) {
        const r = (await call(SYNC, { id, cursor })).financialAccount.transactionUpdates;
        cursor = r.nextCursor;
        more = r.hasMore;
      }
    };
    const relistAll = async () => {
      let after: string | null = null;
      for (;;) {
        const c: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (
          await call(LIST, { id, after })
        ).financialAccount.transactions;
        if (!c.pageInfo.hasNextPage) return;
        after = c.pageInfo.endCursor;
      }
    };
    /** A transaction refresh started upstream; resolves once the gateway has published its push. */
    const refreshed = () =>
      new Promise<void>((resolve, reject) => {
        const stop = gateway.live.publisher.addSink((e) => {
          if (e.kind === 'transactions.updated' && e.accountId === id) {
            stop();
            resolve();
          }
        });
        stripe.financialConnections.accounts.refresh(id, { features: ['transactions'] }).catch(reject);
      });

    const initial = await count(syncAll);
    const nothingWarm = await count(syncAll);
    await gateway.readStore.invalidateAllTenants(`fca:${id}`);
    const nothingCold = await count(syncAll);
    await refreshed();
    const oneRefresh = await count(syncAll);
    await refreshed();
    const relist = await count(relistAll);
    await gateway.readStore.invalidateAllTenants(`fca:${id}`);
    await gateway.readStore.invalidateAllTenants(`txns:${id}:*`);
    const relistAgain = await count(relistAll);

    return [
      HEADING,
      '',
      `One account with ${TRANSACTIONS} transactions, pages of 100, the gateway's read cache on (production mode), ` +
        'requests counted on the sandbox. A refresh is started upstream and the sync runs after the gateway ' +
        'published its push (`transactionUpdatesAvailable`), as a client would. "Account not cached" forgets the ' +
        "account's cache entry first (the customer that proves tenancy stays cached).",
      '',
      '| operation | Stripe requests |',
      '|---|---|',
      `| first sync, no cursor (whole history) | ${initial} |`,
      `| sync with nothing new | ${nothingWarm} |`,
      `| sync with nothing new, account not cached | ${nothingCold} |`,
      `| sync after one new refresh | ${oneRefresh} |`,
      `| full re-list after one new refresh (\`transactions\`, all pages) | ${relist} |`,
      `| full re-list with nothing new, account and pages not cached | ${relistAgain} |`,
      '',
      `- Target "sync with nothing new = 1 request": ${nothingCold <= 1 ? 'reached' : '**not reached**'} ` +
        `(${nothingCold} with the account not cached, ${nothingWarm} with it cached).`,
      `- A sync after one refresh costs ${oneRefresh} requests where a full re-list costs ${relist}.`,
      '',
    ].join('\n');
  } finally {
    await gateway.close();
    await sb.close();
  }
}

/** Replaces this section of bench/RESULTS.md (or appends it) without re-running the other benchmarks. */
function writeSection(section: string): void {
  const file = path.join(__dirname, '..', '..', 'bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(HEADING);
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + HEADING.length);
  const out =
    start < 0
      ? `${text.trimEnd()}\n\n${section}`
      : `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next + 1)}`;
  writeFileSync(file, out);
}

if (require.main === module) {
  transactionSyncSection().then(
    (section) => {
      writeSection(section);
      process.stdout.write(section);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
