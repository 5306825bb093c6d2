// The hosted linking flow over plain HTTP (no browser): every step, the Bank (Non-OAuth) keywords, OAuth, outages,
// filters, return_url, the script, and the start errors, against a real sandbox created through stripe-node.
import type Stripe from 'stripe';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

/** Drives one flow the way a browser without script would: form posts, 303 redirects, server-rendered pages. */
class FlowClient {
  path = '';
  html = '';

  constructor(private readonly base: string) {}

  static async start(
    base: string,
    clientSecret: string,
    options: { mode?: 'modal' | 'page'; origin?: string | null } = {},
  ): Promise<FlowClient> {
    const res = await startRequest(base, {
      client_secret: clientSecret,
      mode: options.mode ?? 'modal',
      parent_origin: options.origin === undefined ? 'http://localhost:3000' : options.origin,
    });
    expect(res.status).toBe(200);
    const client = new FlowClient(base);
    client.path = (res.body as { url: string }).url;
    await client.load();
    return client;
  }

  async load(query = ''): Promise<void> {
    const res = await fetch(`${this.base}${this.path}${query}`);
    expect(res.status).toBe(200);
    this.html = await res.text();
  }

  get step(): string {
    return /<main class="pane" data-step="([^"]+)"/.exec(this.html)?.[1] ?? '(none)';
  }

  /** Posts a form and follows the 303 back to the flow; returns the Location it was sent to. */
  async post(action: string, fields: [string, string][] = []): Promise<string> {
    const res = await fetch(`${this.base}${this.path}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    if (location === this.path) await this.load();
    return location;
  }

  /** The JSON the final page hands to the embedding page. */
  finishPayload(): { mode: string; parentOrigin: string | null; result: Record<string, unknown> } {
    const json = /<script type="application\/json" id="flow-finish">(.*?)<\/script>/s.exec(this.html)?.[1];
    if (!json) throw new Error(`no finish payload on step ${this.step}`);
    return JSON.parse(json);
  }

  accountKeys(): { key: string; disabled: boolean }[] {
    return [
      ...this.html.matchAll(/<input type="checkbox" name="accounts" value="([^"]+)"( disabled)?>/g),
    ].map((m) => ({
      key: m[1],
      disabled: Boolean(m[2]),
    }));
  }
}

async function startRequest(base: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}/link/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('hosted linking flow (HTTP)', () => {
  let sb: StartedSandbox;
  let customer: Stripe.Customer;

  beforeAll(async () => {
    sb = await startSandbox();
    customer = await sb.stripe.customers.create({ email: 'flow@example.com' });
  });

  afterAll(async () => {
    await sb?.close();
  });

  function session(params: Partial<Stripe.FinancialConnections.SessionCreateParams> = {}) {
    return sb.stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer: customer.id },
      permissions: ['balances', 'ownership'],
      ...params,
    });
  }

  /** A flow past consent, at "select institution". */
  async function atInstitutions(params: Partial<Stripe.FinancialConnections.SessionCreateParams> = {}) {
    const s = await session(params);
    const flow = await FlowClient.start(sb.url, s.client_secret!);
    await flow.post('consent');
    expect(flow.step).toBe('institution');
    return { s, flow };
  }

  describe('the script', () => {
    it.each(['/v3/', '/v3', '/js/v3'])('should serve the Stripe.js-compatible script at %s', async (p) => {
      const res = await fetch(`${sb.url}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
      const source = await res.text();
      expect(source).toContain('collectFinancialConnectionsAccounts');
      expect(source).toContain('window.Stripe = Stripe');
    });
  });

  describe('start', () => {
    it('should refuse an unknown client secret with a resource_missing error', async () => {
      const res = await startRequest(sb.url, {
        client_secret: 'fcsess_nope_secret_nope',
        mode: 'modal',
        parent_origin: 'http://localhost:3000',
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: expect.objectContaining({ type: 'invalid_request_error', code: 'resource_missing' }),
      });
    });

    it.each([
      ['no origin', null],
      ['a path after the origin', 'http://localhost:3000/page'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a non-URL', 'localhost'],
    ])('should refuse an embedded flow with %s as parent origin', async (_name, origin) => {
      const s = await session();
      const res = await startRequest(sb.url, {
        client_secret: s.client_secret,
        mode: 'modal',
        parent_origin: origin,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain(s.client_secret!);
    });

    it('should answer an unknown flow id with a 404 page', async () => {
      const res = await fetch(`${sb.url}/link/fcflow_doesnotexist`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('This link has expired');
    });

    it('should send pages with a nonce-based CSP and the nonce on every script', async () => {
      const s = await session();
      const flow = await FlowClient.start(sb.url, s.client_secret!);
      await flow.post('consent');
      const res = await fetch(`${sb.url}${flow.path}`);
      const csp = res.headers.get('content-security-policy')!;
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      const html = await res.text();
      const executable = [...html.matchAll(/<script(?![^>]*type="application\/json")([^>]*)>/g)];
      expect(executable.length).toBeGreaterThan(0);
      for (const m of executable) expect(m[1]).toContain(`nonce="${nonce}"`);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('consent', () => {
    it('should list the requested permissions in plain words', async () => {
      const s = await session({
        permissions: ['payment_method', 'transactions'],
        prefetch: ['transactions'],
      });
      const flow = await FlowClient.start(sb.url, s.client_secret!);
      expect(flow.step).toBe('consent');
      expect(flow.html).toContain('Account details');
      expect(flow.html).toContain('Account and routing numbers');
      expect(flow.html).toContain('Up to 180 days of transaction history');
      expect(flow.html).not.toContain('data-permission="balances"');
      expect(flow.html).toContain('data-testid="prefetch"');
    });
  });

  describe('select institution', () => {
    async function search(flow: FlowClient, q: string) {
      const res = await fetch(`${sb.url}${flow.path}/institutions?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { institutions: { id: string; name: string; kind: string }[] })
        .institutions;
    }

    it('should offer the featured test institutions first, then popular banks, before anything is typed', async () => {
      const { flow } = await atInstitutions();
      const all = await search(flow, '');
      const firstDirectory = all.findIndex((i) => i.kind === 'directory');
      expect(all.slice(0, firstDirectory).map((i) => i.name)).toEqual(
        expect.arrayContaining([
          'Test (Non-OAuth)',
          'Test (OAuth)',
          'Bank (Non-OAuth)',
          'Bank (OAuth)',
          'Down (Scheduled)',
        ]),
      );
      expect(all.slice(firstDirectory).every((i) => i.kind === 'directory')).toBe(true);
      expect(all.map((i) => i.name)).toContain('Bank of America');
      // Stripe's guide: "Search for Tokenized Account Number".
      expect(all.map((i) => i.name)).not.toContain('Tokenized Account Number');
      expect((await search(flow, 'tokenized')).map((i) => i.name)).toEqual(['Tokenized Account Number']);
    });

    it('should search the directory of several hundred institutions by word prefixes', async () => {
      const { flow } = await atInstitutions();
      expect((await search(flow, 'chase')).map((i) => i.name)).toContain('JPMorgan Chase Bank');
      expect((await search(flow, 'navy fed')).map((i) => i.name)).toContain('Navy Federal Credit Union');
      expect((await search(flow, 'credit union')).length).toBe(50);
      expect(await search(flow, 'zzzz no such bank')).toEqual([]);
    });

    it('should render a search without script, escaping the query', async () => {
      const { flow } = await atInstitutions();
      await flow.load(`?q=${encodeURIComponent('<script>alert(1)</script> wells')}`);
      expect(flow.html).not.toContain('<script>alert(1)');
      expect(flow.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; wells');
    });
  });

  describe('log in to Bank (Non-OAuth)', () => {
    async function atLogin() {
      const started = await atInstitutions();
      await started.flow.post('institution', [['institution', 'fcinst_bank_non_oauth']]);
      expect(started.flow.step).toBe('login');
      expect(started.flow.html).toContain('data-testid="keyword-help"');
      return started;
    }

    it.each<[string, string, [string, string][]]>([
      ['mfa', 'prompt-mfa', [['answer', '123456']]],
      ['confirm_mfa', 'prompt-confirm_mfa', []],
      ['security_question', 'prompt-security_question', [['answer', 'Rex']]],
    ])(
      'should ask a further prompt for the `%s` keyword, then show the accounts',
      async (keyword, step, answer) => {
        const { flow } = await atLogin();
        await flow.post('login', [
          ['username', 'jenny'],
          ['password', keyword],
        ]);
        expect(flow.step).toBe(step);
        await flow.post('prompt', answer);
        expect(flow.step).toBe('accounts');
      },
    );

    it('should ask where to send a code for `options`, then for the code', async () => {
      const { flow } = await atLogin();
      await flow.post('login', [
        ['username', 'options'],
        ['password', 'x'],
      ]);
      expect(flow.step).toBe('prompt-options');
      await flow.post('prompt', [['answer', 'email']]);
      expect(flow.step).toBe('prompt-mfa');
      await flow.post('prompt', [['answer', 'abc']]);
      expect(flow.step).toBe('prompt-mfa');
      expect(flow.html).toContain('data-testid="flow-error"');
      await flow.post('prompt', [['answer', '0000']]);
      expect(flow.step).toBe('accounts');
    });

    it('should allow a retry after `incorrect`', async () => {
      const { flow } = await atLogin();
      await flow.post('login', [
        ['username', 'incorrect'],
        ['password', 'x'],
      ]);
      expect(flow.step).toBe('login');
      expect(flow.html).toContain('The username or password is incorrect');
      await flow.post('login', [
        ['username', 'jenny'],
        ['password', 'right'],
      ]);
      expect(flow.step).toBe('accounts');
    });

    it('should end the session on `error`: no accounts, and the client secret cannot be used again', async () => {
      const { s, flow } = await atLogin();
      await flow.post('login', [
        ['username', 'jenny'],
        ['password', 'error'],
      ]);
      expect(flow.step).toBe('failed');
      expect(flow.finishPayload().result).toEqual({
        error: expect.objectContaining({ type: 'api_error', code: 'institution_error' }),
      });
      expect((await sb.stripe.financialConnections.sessions.retrieve(s.id)).accounts.data).toEqual([]);
      const again = await startRequest(sb.url, {
        client_secret: s.client_secret,
        mode: 'modal',
        parent_origin: 'http://localhost:3000',
      });
      expect(again.status).toBe(400);
    });
  });

  describe('OAuth institutions', () => {
    it('should let Bank (OAuth) pick accounts in its OAuth window and link them', async () => {
      const { s, flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_bank_oauth']]);
      expect(flow.step).toBe('oauth');
      expect(flow.html).toContain('data-testid="oauth-window"');
      await flow.post('oauth', []);
      expect(flow.step).toBe('oauth');
      expect(flow.html).toContain('Select at least one account.');
      await flow.post('oauth', [['accounts', 'savings']]);
      expect(flow.step).toBe('success');
      const listed = await sb.stripe.financialConnections.accounts.list({ session: s.id });
      expect(listed.data.map((a) => [a.institution_name, a.display_name])).toEqual([
        ['Bank (OAuth)', 'Savings'],
      ]);
    });

    it('should send Test (OAuth) to account selection after authorizing', async () => {
      const { flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_test_oauth']]);
      expect(flow.step).toBe('oauth');
      await flow.post('oauth');
      expect(flow.step).toBe('accounts');
    });
  });

  describe('other test institutions', () => {
    it.each([
      ['fcinst_down_scheduled', 'scheduled', 'scheduled maintenance'],
      ['fcinst_down_unscheduled', 'unscheduled', 'responding right now'],
      ['fcinst_down_error', 'error', 'unknown error'],
    ])('should show the outage of %s and offer another bank', async (id, outage, words) => {
      const { flow } = await atInstitutions();
      await flow.post('institution', [['institution', id]]);
      expect(flow.step).toBe('down');
      expect(flow.html).toContain(`data-outage="${outage}"`);
      expect(flow.html).toContain(words);
      await flow.post('back');
      expect(flow.step).toBe('institution');
    });

    it('should link Test (Non-OAuth) without credentials', async () => {
      const { flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      expect(flow.step).toBe('accounts');
    });

    it('should grey out accounts that cannot pay when payment_method is requested', async () => {
      const { flow } = await atInstitutions({ permissions: ['payment_method'] });
      await flow.post('institution', [['institution', 'fcinst_invalid_payment_accounts']]);
      expect(flow.accountKeys()).toEqual([
        { key: 'no_ach_checking', disabled: true },
        { key: 'investment', disabled: true },
        { key: 'mortgage', disabled: true },
      ]);
      await flow.post('accounts', [['accounts', 'no_ach_checking']]);
      expect(flow.step).toBe('accounts');
      expect(flow.html).toContain('cannot be linked');
    });

    it('should honour filters[account_subcategories]', async () => {
      const { s, flow } = await atInstitutions({
        filters: { countries: ['US'], account_subcategories: ['savings'] },
      });
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      const keys = flow.accountKeys();
      expect(keys.find((k) => k.key === 'savings')).toEqual({ key: 'savings', disabled: false });
      expect(keys.find((k) => k.key === 'checking')).toEqual({ key: 'checking', disabled: true });
      await flow.post('accounts', [['accounts', 'savings']]);
      expect(flow.step).toBe('success');
      const listed = await sb.stripe.financialConnections.accounts.list({ session: s.id });
      expect(listed.data.map((a) => a.subcategory)).toEqual(['savings']);
    });

    it('should refuse more accounts than limits[accounts] allows', async () => {
      const { s, flow } = await atInstitutions({ limits: { accounts: 1 } });
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      await flow.post('accounts', [
        ['accounts', 'checking'],
        ['accounts', 'savings'],
      ]);
      expect(flow.step).toBe('accounts');
      expect(flow.html).toContain('Select at most 1 account.');
      await flow.post('accounts', [['accounts', 'savings']]);
      expect(flow.step).toBe('success');
      expect((await sb.stripe.financialConnections.accounts.list({ session: s.id })).data).toHaveLength(1);
    });

    it('should link a directory bank with the accounts of Test (Non-OAuth) under its own name, saying so on its login page', async () => {
      const { s, flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_dir_jpmorgan_chase_bank']]);
      expect(flow.step).toBe('login');
      expect(flow.html).toContain('links the test accounts of Test (Non-OAuth)');
      await flow.post('login', [
        ['username', 'error'],
        ['password', 'x'],
      ]);
      // Keywords belong to Bank (Non-OAuth) only.
      expect(flow.step).toBe('accounts');
      await flow.post('accounts', [['accounts', 'checking']]);
      expect(flow.step).toBe('success');
      const listed = await sb.stripe.financialConnections.accounts.list({ session: s.id });
      expect(listed.data).toHaveLength(1);
      expect(listed.data[0].institution_name).toBe('JPMorgan Chase Bank');
    });
  });

  describe('finishing', () => {
    it('should emit one account.created per linked account and hand the session to the parent origin', async () => {
      const { s, flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      await flow.post('accounts', [
        ['accounts', 'checking'],
        ['accounts', 'credit_card'],
      ]);
      expect(flow.step).toBe('success');
      const payload = flow.finishPayload();
      expect(payload.mode).toBe('modal');
      expect(payload.parentOrigin).toBe('http://localhost:3000');
      const fcs = (
        payload.result as { financialConnectionsSession: { id: string; accounts: { id: string }[] } }
      ).financialConnectionsSession;
      expect(fcs.id).toBe(s.id);
      expect(fcs).not.toHaveProperty('client_secret');
      const ids = fcs.accounts.map((a) => a.id).sort();
      expect(ids).toHaveLength(2);
      const created = sb.sandbox
        .events()
        .filter((e) => e.type === 'financial_connections.account.created')
        .map((e) => (e.data.object as { id: string }).id)
        .filter((id) => ids.includes(id));
      expect(created.sort()).toEqual(ids);
      const listed = await sb.stripe.financialConnections.accounts.list({ session: s.id });
      expect(listed.data.map((a) => a.id).sort()).toEqual(ids);
    });

    it('should link the same kind of accounts as the complete test helper', async () => {
      const viaHelper = await session();
      const helped = sb.sandbox.completeSession(viaHelper.id, {
        institution: 'fcinst_test_non_oauth',
        accounts: ['checking'],
      });
      const { s, flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      await flow.post('accounts', [['accounts', 'checking']]);
      const [mine] = (await sb.stripe.financialConnections.accounts.list({ session: s.id })).data;
      const theirs = helped.accounts[0];
      const shape = (a: object) => Object.keys(a).sort();
      expect(shape(mine)).toEqual(shape(theirs));
      expect([mine.institution_name, mine.display_name, mine.last4, mine.subcategory]).toEqual([
        theirs.institution_name,
        theirs.display_name,
        theirs.last4,
        theirs.subcategory,
      ]);
    });

    it('should let the holder enter bank details manually when the session allows it, checking what was typed', async () => {
      const { s, flow } = await atInstitutions({ permissions: ['payment_method'] });
      expect(flow.html).toContain('data-testid="manual-entry"');
      await flow.post('manual');
      expect(flow.step).toBe('manual');
      const details = (routing: string, account: string, confirm = account): [string, string][] => [
        ['routing_number', routing],
        ['account_number', account],
        ['account_number_confirmation', confirm],
        ['account_type', 'savings'],
      ];
      await flow.post('manual', details('021000021', '000123456789'));
      expect([flow.step, flow.html]).toEqual(['manual', expect.stringContaining('110000000')]);
      await flow.post('manual', details('110000000', '000123456789', '000123456788'));
      expect([flow.step, flow.html]).toEqual(['manual', expect.stringContaining('do not match')]);
      await flow.post('manual', details('110000000', '000222222227'));
      expect(flow.step).toBe('success');
      const [account] = (await sb.stripe.financialConnections.accounts.list({ session: s.id })).data;
      expect([account.institution_name, account.last4, account.subcategory]).toEqual([
        'STRIPE TEST BANK',
        '2227',
        'savings',
      ]);
      const disabled = await atInstitutions({
        manual_entry: { mode: 'disabled' },
      } as Partial<Stripe.FinancialConnections.SessionCreateParams>);
      expect(disabled.flow.html).not.toContain('data-testid="manual-entry"');
      await disabled.flow.post('manual');
      expect(disabled.flow.step).toBe('institution');
    });

    it('should end with an error, not a second linking, when the session was completed elsewhere meanwhile', async () => {
      const { s, flow } = await atInstitutions();
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      sb.sandbox.completeSession(s.id, { cancel: true });
      await flow.post('accounts', [['accounts', 'checking']]);
      expect(flow.step).toBe('failed');
      expect(flow.finishPayload().result).toEqual({
        error: expect.objectContaining({
          type: 'invalid_request_error',
          message: expect.stringContaining('already been used'),
        }),
      });
    });

    it('should redirect a standalone flow to return_url with the session id appended', async () => {
      const s = await session({ return_url: 'https://app.example.com/linked?tab=banks' });
      const flow = await FlowClient.start(sb.url, s.client_secret!, { mode: 'page', origin: null });
      await flow.post('consent');
      await flow.post('institution', [['institution', 'fcinst_test_non_oauth']]);
      await flow.post('accounts', [['accounts', 'checking']]);
      expect(flow.step).toBe('success');
      expect(flow.finishPayload()).toEqual(expect.objectContaining({ mode: 'page', parentOrigin: null }));
      const res = await fetch(`${sb.url}${flow.path}/finish`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`https://app.example.com/linked?tab=banks&session_id=${s.id}`);
    });

    it('should send a standalone flow that exits early to return_url, with no accounts linked', async () => {
      const s = await session({ return_url: 'https://app.example.com/linked' });
      const flow = await FlowClient.start(sb.url, s.client_secret!, { mode: 'page', origin: null });
      const location = await flow.post('exit');
      expect(location).toBe(`${flow.path}/finish`);
      const res = await fetch(`${sb.url}${location}`, { redirect: 'manual' });
      expect(res.headers.get('location')).toBe(`https://app.example.com/linked?session_id=${s.id}`);
      expect((await sb.stripe.financialConnections.sessions.retrieve(s.id)).accounts.data).toEqual([]);
    });

    it('should hand an embedded early exit to the parent at once, with an empty accounts array', async () => {
      const s = await session();
      const flow = await FlowClient.start(sb.url, s.client_secret!);
      await flow.post('exit');
      expect(flow.step).toBe('exited');
      expect(flow.finishPayload().result).toEqual({
        financialConnectionsSession: expect.objectContaining({ id: s.id, accounts: [] }),
      });
    });
  });
});
