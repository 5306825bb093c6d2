// The worst-case Stripe calls estimate: the probe's fan-out is over the default limit, every contract operation under it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { estimateStripeCalls } from '../../src/transport/graphql/limits/stripe-call-estimate';
import { DEFAULT_LIMITS } from '../../src/transport/graphql/limits/limits';

const root = join(__dirname, '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8'));
const estimate = (source: string, variables?: Record<string, unknown>) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return estimateStripeCalls(schema, document, operation, variables);
};

export const FAN_OUT =
  '{ customers(first: 100) { nodes { id financialAccounts(first: 1) { nodes { id } } paymentIntents(first: 1) { nodes { id } } } } }';

describe('estimateStripeCalls', () => {
  it('should count the fan-out as one search plus two list calls per customer, over the default limit', () => {
    expect(estimate(FAN_OUT)).toBe(1 + 100 * 2);
    expect(estimate(FAN_OUT)).toBeGreaterThan(DEFAULT_LIMITS.maxStripeCalls);
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

  it('should count nothing for fields the fetched object already holds', () => {
    expect(estimate('{ viewer { kind partnerId } }')).toBe(0);
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
