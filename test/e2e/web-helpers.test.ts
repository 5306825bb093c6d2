// The small decisions behind the IDE page and the operation metrics: escaping, key exposure, label cardinality.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { parseConfig } from '../../src/platform/config';
import { demoPageConfig } from '../../src/demo/server';
import { accountName, paymentStatusLabel } from '../../src/demo/web/demo/format';
import { demoPartnerKey, scriptSafeJson } from '../../src/transport/http/ide';
import { exampleOperations } from '../../src/transport/http/ide-tabs';
import { knownOperationNames, OperationNameLabels } from '../../src/transport/graphql/operation-metrics';

describe('scriptSafeJson', () => {
  it('cannot close the <script> element it is written into', () => {
    const out = scriptSafeJson({ q: '</script><script>alert(1)</script><!--' });
    expect(out).not.toMatch(/<|>/);
    expect(JSON.parse(out)).toEqual({ q: '</script><script>alert(1)</script><!--' });
  });
});

describe('demoPartnerKey', () => {
  it('is the built-in demo key only when PARTNER_KEYS is unset', () => {
    expect(demoPartnerKey(parseConfig({}))).toBe('demo_partner_key');
    expect(demoPartnerKey(parseConfig({ PARTNER_KEYS: 'acme:acme_secret_key_123' }))).toBeUndefined();
    expect(
      demoPartnerKey(parseConfig({ PARTNER_KEYS: 'demo:demo_partner_key,acme:acme_secret_key_123' })),
    ).toBeUndefined();
  });
});

describe('exampleOperations', () => {
  it('makes one tab per listed operation, with the fragments it uses and its variables, in file order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ide-operations-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'b-reads.graphql'),
        '# A viewer.\nquery Viewer { viewer { ...K } }\n\nfragment K on Viewer { kind }\n\nquery Hidden { viewer { kind } }\n',
      );
      fs.writeFileSync(
        path.join(dir, 'a-writes.graphql'),
        'mutation M($id: ID!, $n: Int = 3) { x(id: $id) }\n',
      );
      fs.writeFileSync(path.join(dir, 'notes.md'), '# not an operation\n');
      const examples = { Viewer: {}, M: { variables: { id: '' }, demoValues: { id: 'accountId' as const } } };
      expect(exampleOperations(dir, examples)).toEqual([
        {
          title: 'M',
          query: 'mutation M($id: ID!, $n: Int = 3) { x(id: $id) }\n',
          variables: '{\n  "id": ""\n}',
          demoValues: { id: 'accountId' },
        },
        {
          title: 'Viewer',
          query: '# A viewer.\nquery Viewer { viewer { ...K } }\n\nfragment K on Viewer { kind }\n',
        },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(exampleOperations(path.join(dir, 'gone'))).toEqual([]);
  });

  it("shows the repository's operations one per tab, each parsing alone, and none of the tests' set-up steps", () => {
    const tabs = exampleOperations();
    expect(tabs.length).toBeGreaterThan(15);
    for (const t of tabs) {
      const ops = parse(t.query).definitions.filter((d) => d.kind === 'OperationDefinition');
      expect(ops).toHaveLength(1);
      expect(t.title).not.toMatch(/setup/i);
      expect(t.query).not.toMatch(/tests/i);
    }
  });
});

describe('demoPageConfig', () => {
  it('uses the sandbox script against a sandbox, and Stripe.js with the publishable key against Stripe', () => {
    expect(demoPageConfig(parseConfig({}), true)).toEqual({
      mode: 'sandbox',
      stripeJsUrl: 'http://127.0.0.1:12111/v3/',
      publishableKey: 'pk_test_sandbox',
    });
    expect(
      demoPageConfig(
        parseConfig({
          STRIPE_SECRET_KEY: 'sk_test_abc',
          STRIPE_PUBLISHABLE_KEY: 'pk_test_abc',
          DEMO: 'true',
        }),
        false,
      ),
    ).toEqual({ mode: 'stripe', stripeJsUrl: 'https://js.stripe.com/v3/', publishableKey: 'pk_test_abc' });
  });
});

describe('OperationNameLabels', () => {
  it('keeps known names, hashes the others with a per-partner cap', () => {
    const labels = new OperationNameLabels(new Set(['Known']), 2);
    expect(labels.label('Known', 'p1')).toBe('Known');
    const [a, b, c] = ['Secret1', 'Secret2', 'Secret3'].map((n) => labels.label(n, 'p1'));
    expect(a).toMatch(/^h_[0-9a-f]{8}$/);
    expect([b === a, c]).toEqual([false, 'other']);
    expect(labels.label('Secret1', 'p1')).toBe(a);
    // One partner's junk does not use up another's labels.
    expect(labels.label('Secret3', 'p2')).toMatch(/^h_[0-9a-f]{8}$/);
    expect(labels.label(undefined)).toBe('anonymous');
    expect(labels.label('bad name"}', 'p1')).toBe('other');
  });

  it('knows the operations of schema/operations/', () => {
    expect(knownOperationNames().has('CustomerDashboard')).toBe(true);
  });
});

describe("the demo's words", () => {
  it('says Failed for a payment Stripe sent back to requires_payment_method with an error', () => {
    const failed = { status: 'REQUIRES_PAYMENT_METHOD', lastPaymentError: { message: 'The bank declined.' } };
    expect(paymentStatusLabel(failed)).toEqual({ text: 'Failed', tone: 'failed' });
    expect(paymentStatusLabel({ status: 'REQUIRES_PAYMENT_METHOD', lastPaymentError: null }).tone).toBe(
      'pending',
    );
    expect(paymentStatusLabel({ status: 'CANCELED' }).text).toBe('Cancelled');
    expect(paymentStatusLabel({ status: 'PROCESSING' }).text).toBe('Processing');
  });

  it('names an account by institution, name and last four digits, never by id', () => {
    expect(accountName({ institutionName: 'StripeBank', displayName: 'Checking', last4: '6789' })).toBe(
      'StripeBank Checking •••• 6789',
    );
    expect(accountName({ institutionName: null, displayName: null, last4: null })).toBe('Your account');
  });
});
