// The admission step's operation checks: worked out once per document, a fresh error per refused request.
import { GraphQLError, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { buildGatewaySchema } from '../../src/schema';
import type { Caller } from '../../src/services/auth/auth';
import { DEFAULT_LIMITS } from '../../src/transport/graphql/limits/limits';
import {
  allOf,
  controlCharacterCheck,
  costCheck,
  type AdmissionCheck,
} from '../../src/transport/graphql/admission/operation-checks';
import { refusalFor } from '../../src/transport/graphql/admission/admission-errors';

const caller = { kind: 'partner', partnerId: 'partner_a' } as Caller;
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatewaySchema();
});

const prepare = (checks: AdmissionCheck[], source: string) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return allOf(checks, schema, document, operation);
};

/** A check that counts how often each phase runs. */
function countingCheck() {
  const calls = { prepared: 0, checked: 0 };
  const check: AdmissionCheck = {
    name: 'counting',
    prepare: () => {
      calls.prepared += 1;
      return () => {
        calls.checked += 1;
        return null;
      };
    },
  };
  return { check, calls };
}

describe('operation checks', () => {
  describe('costCheck', () => {
    const FAN_OUT =
      'query($n: Int) { customers(first: $n) { nodes { id financialAccounts(first: 100) { nodes { id } } } } }';

    it('should refuse by the page size in the variables, and admit a small page of the same document', () => {
      const check = prepare([costCheck(DEFAULT_LIMITS)], FAN_OUT);
      expect(check({ n: 100 }, caller)?.extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(check({ n: 1 }, caller)).toBeNull();
      expect(check({ n: 100 }, caller)?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('should decide per value of the variables the estimate reads: one id looked up twice costs once', () => {
      const limits = { ...DEFAULT_LIMITS, maxStripeCalls: 3 };
      const check = prepare(
        [costCheck(limits)],
        'query($a: ID!, $b: ID!) { a: financialAccount(id: $a) { id } b: financialAccount(id: $b) { id } }',
      );
      expect(check({ a: 'fca_1', b: 'fca_1' }, caller)).toBeNull();
      expect(check({ a: 'fca_1', b: 'fca_2' }, caller)?.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'stripeCalls',
      });
      expect(check({ a: 'fca_3', b: 'fca_3' }, caller)).toBeNull();
    });
  });

  describe('controlCharacterCheck', () => {
    it('should refuse a control character in a variable or a literal with BAD_USER_INPUT naming it', () => {
      const byVariable = prepare([controlCharacterCheck], 'query($id: ID!) { customer(id: $id) { id } }');
      expect(byVariable({ id: 'cus_1' }, caller)).toBeNull();
      expect(byVariable({ id: 'cus_\n1' }, caller)?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: '$id',
      });
      const byLiteral = prepare([controlCharacterCheck], '{ customer(id: "cus_\\u0007") { id } }');
      expect(byLiteral(undefined, caller)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    });
  });

  describe('allOf', () => {
    it('should prepare each check once per document and run it on every request, stopping at the first refusal', () => {
      const { check, calls } = countingCheck();
      const refusing: AdmissionCheck = {
        name: 'refusing',
        prepare: () => (variables) =>
          variables?.refuse ? new GraphQLError('refused', { extensions: { code: 'FORBIDDEN' } }) : null,
      };
      const run = prepare([refusing, check], 'query($refuse: Boolean) { viewer { kind } }');
      expect(calls.prepared).toBe(1);
      expect(run({ refuse: false }, caller)).toBeNull();
      expect(run({ refuse: false }, caller)).toBeNull();
      expect(run({ refuse: true }, caller)?.message).toBe('refused');
      expect(calls).toEqual({ prepared: 1, checked: 2 });
    });
  });

  describe('refusalFor', () => {
    it('should give each request its own error, marked HTTP 400, with the message and code of the remembered one', () => {
      const remembered = new GraphQLError('too big', {
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 5 },
      });
      const a = refusalFor(remembered);
      const b = refusalFor(remembered);
      expect(a).not.toBe(b);
      expect(a.message).toBe('too big');
      expect(a.extensions).toEqual({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'cost',
        max: 5,
        http: { status: 400 },
      });
      expect(remembered.extensions.http).toBeUndefined();
    });
  });
});
