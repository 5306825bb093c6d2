// The Stripe-call estimate from each field's declared cost: the fan-out is over the default limit, the planned
// dashboard under it, every contract operation under it even at first: 100.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { buildGatewaySchema } from '../../src/schema';
import { estimateStripeCalls } from '../../src/transport/graphql/limits/stripe-call-estimate';
import { costError, DEFAULT_LIMITS, limitVariables } from '../../src/transport/graphql/limits/limits';

const root = join(__dirname, '..', '..');
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatewaySchema();
});

const operationOf = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { document, operation };
};
const estimate = (source: string, variables?: Record<string, unknown>) => {
  const { document, operation } = operationOf(source);
  return estimateStripeCalls(schema, document, operation, variables);
};

export const FAN_OUT =
  '{ customers(first: 100) { nodes { id financialAccounts(first: 1) { nodes { id } } paymentIntents(first: 1) { nodes { id } } } } }';

/** A customer's accounts page as a frontend writes it. */
export const DASHBOARD_20 = `query($id: ID!) { customer(id: $id) { id financialAccounts(first: 20) { nodes { id
  balance { current { amount currency } } ownership { owners(first: 5) { nodes { name } } }
  transactions(first: 10) { nodes { id amount { amount } } } } } } }`;

describe('estimateStripeCalls', () => {
  describe('from the declared costs', () => {
    it('should count the fan-out as one search plus two list calls per customer, over the default limit', () => {
      expect(estimate(FAN_OUT)).toBe(1 + 100 * 2);
      expect(estimate(FAN_OUT)).toBeGreaterThan(DEFAULT_LIMITS.maxStripeCalls);
    });

    it('should count the 20-account dashboard as the loaders plan it: one list embedding owners, one transaction list per account', () => {
      // customer (1) + accounts list with ownership embedded (1) + 20 × transactions (1); owners free.
      expect(estimate(DASHBOARD_20, { id: 'cus_1' })).toBe(1 + 1 + 20);
      expect(estimate(DASHBOARD_20, { id: 'cus_1' })).toBeLessThanOrEqual(DEFAULT_LIMITS.maxStripeCalls);
    });

    it('should count a page of owners after a cursor, which the embedded owners cannot answer', () => {
      const q = (after: string) => `{ customer(id: "cus_1") { financialAccounts(first: 20) { nodes {
        ownership { owners(first: 5${after}) { nodes { name } } } } } } }`;
      expect(estimate(q(''))).toBe(1 + 1);
      expect(estimate(q(', after: "fcaown_1"'))).toBe(1 + 1 + 20);
    });

    it('should count owners when the list does not embed ownership (the session lists accounts without it)', () => {
      const q = `query($s: ID!) { financialConnectionsSession(id: $s) { accounts(first: 5) { nodes {
        ownership { owners { nodes { name } } } } } } }`;
      expect(estimate(q, { s: 'fcsess_1' })).toBe(2 + 1 + 5 * 1);
    });

    it('should count an account by id with its tenancy lookup, and its owners as embedded when selected', () => {
      expect(
        estimate('{ financialAccount(id: "fca_1") { id ownership { created owners { nodes { name } } } } }'),
      ).toBe(2);
      expect(estimate('{ financialAccount(id: "fca_1") { id } }')).toBe(2);
    });

    it('should plan through fragments and honour @include/@skip', () => {
      const q = `query($id: ID!, $owners: Boolean!) { customer(id: $id) { ...A } }
        fragment A on Customer { financialAccounts(first: 5) { edges { node { ... on FinancialAccount { ...O } } } } }
        fragment O on FinancialAccount { ownership @include(if: $owners) { owners { nodes { name } } } transactions { nodes { id } } }`;
      expect(estimate(q, { id: 'cus_1', owners: true })).toBe(1 + 1 + 5 * 1);
      expect(estimate(q, { id: 'cus_1', owners: false })).toBe(1 + 1 + 5 * 1);
      const skipTx = q.replace('transactions {', 'transactions @skip(if: $owners) {');
      expect(estimate(skipTx, { id: 'cus_1', owners: true })).toBe(2);
    });

    it('should count a status filter as the pages its scan may read', () => {
      expect(
        estimate('{ customer(id: "cus_1") { financialAccounts(status: ACTIVE) { nodes { id } } } }'),
      ).toBe(1 + 10);
    });

    it('should count transactionUpdates as the list page it reads', () => {
      expect(estimate('{ financialAccount(id: "fca_1") { transactionUpdates { added { id } } } }')).toBe(
        2 + 1,
      );
    });

    it('should multiply by `first` from variables, and count edges and nodes of one connection once', () => {
      const q =
        'query($n: Int) { customers(first: $n) { edges { node { financialAccounts { nodes { id } } } } nodes { financialAccounts { nodes { id } } } } }';
      expect(estimate(q, { n: 5 })).toBe(1 + 5 * 1);
      expect(estimate(q)).toBe(1 + 10 * 1);
    });

    it('should count each aliased lookup by id with its tenancy check', () => {
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: financialAccount(id: "fca_${i}") { id }`);
      expect(estimate(`{ ${aliases.join(' ')} }`)).toBe(16 * 2);
    });

    it('should count one lookup for the same id asked three times (one DataLoader fetch)', () => {
      const q = `query($id: ID!) { a: financialAccount(id: $id) { id } b: financialAccount(id: $id) { last4 }
        c: node(id: $id) { id } }`;
      expect(estimate(q, { id: 'fca_1' })).toBe(2);
      expect(
        estimate(q.replace('b: financialAccount(id: $id)', 'b: financialAccount(id: "fca_2")'), {
          id: 'fca_1',
        }),
      ).toBe(4);
    });

    it('should count nothing for fields the fetched object already holds', () => {
      expect(estimate('{ viewer { kind partnerId } }')).toBe(0);
    });
  });

  describe('costError', () => {
    it('should state the estimate in extensions next to the limit', () => {
      const { document, operation } = operationOf(FAN_OUT);
      const error = costError(schema, document, operation, undefined, DEFAULT_LIMITS);
      expect(error?.extensions).toEqual({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'stripeCalls',
        max: DEFAULT_LIMITS.maxStripeCalls,
        estimate: 201,
      });
    });
  });

  describe('limitVariables', () => {
    it('should name the page sizes, @skip/@include conditions and arguments a declared cost reads', () => {
      const { document, operation } = operationOf(
        `query($id: ID!, $n: Int, $s: FinancialAccountStatus, $b: Boolean!) { customer(id: $id) {
          financialAccounts(first: $n, status: $s) { nodes { id @include(if: $b) } } } }`,
      );
      // `id`: a lookup by id is counted once per id (DataLoader), so the estimate depends on it too.
      expect(limitVariables(schema, document, operation).sort()).toEqual(['b', 'id', 'n', 's']);
    });
  });

  const operations = readdirSync(join(root, 'schema', 'operations')).flatMap((file) => {
    const document = parse(readFileSync(join(root, 'schema', 'operations', file), 'utf8'));
    return document.definitions
      .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => [`${file} ${operation.name?.value}`, document, operation] as const);
  });
  it.each(operations)('should allow %s, even with first: 100', (_name, document, operation) => {
    const vars = { first: 100 };
    expect(estimateStripeCalls(schema, document, operation, vars)).toBeLessThanOrEqual(
      DEFAULT_LIMITS.maxStripeCalls,
    );
  });
});
