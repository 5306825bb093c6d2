// The hosted flow's pages, one renderer per step: consent, select institution, log in, prompts, OAuth, outage,
// select accounts, and the final pages. Server-rendered; forms post to the flow's routes (routes.ts).
import type { InstitutionOption } from '../institution-directory';
import type { Flow, FlowResult, PromptKind } from './flows';
import { esc, jsonBlock, layout, type Html } from './html';
import { FINISH_SCRIPT, OAUTH_SCRIPT, SEARCH_SCRIPT, START_SCRIPT } from './client-scripts';
import type { FlowInstitution } from './port';

/** The URL prefix of one flow's pages. */
export function flowPath(flow: Flow): string {
  return `/link/${flow.id}`;
}

/** Each permission in plain words (docs.stripe.com/financial-connections/fundamentals#data-permissions). */
const PERMISSION_WORDS: Record<string, { title: string; detail: string }> = {
  payment_method: {
    title: 'Account details',
    detail: 'Account and routing numbers, so payments can be made from your account.',
  },
  balances: { title: 'Balances', detail: 'Current and available balances of your account.' },
  ownership: {
    title: 'Account ownership',
    detail: 'Names, addresses, email addresses and phone numbers of the account holders.',
  },
  transactions: {
    title: 'Transactions',
    detail: 'Up to 180 days of transaction history, and new transactions as they happen.',
  },
};

/** The words for a permission (unknown ones are shown as they are). */
export function permissionWords(permission: string): { title: string; detail: string } {
  return PERMISSION_WORDS[permission] ?? { title: permission, detail: '' };
}

function errorBanner(error: string | undefined): Html {
  return error ? `<div class="error" role="alert" data-testid="flow-error">${esc(error)}</div>` : '';
}

function initials(name: string): string {
  const letters = name
    .replace(/[()]/g, '')
    .split(/\s+/)
    .filter((w) => /^[A-Za-z0-9]/.test(w))
    .map((w) => w[0].toUpperCase());
  return letters.slice(0, 2).join('') || '?';
}

function backButton(flow: Flow, label = 'Back'): Html {
  return `<form method="post" action="${flowPath(flow)}/back">
    <button type="submit" class="button button-secondary" data-testid="back">${esc(label)}</button>
  </form>`;
}

export function consentPage(flow: Flow, permissions: string[], prefetch: string[]): Html {
  const items = permissions
    .map((p) => {
      const w = permissionWords(p);
      return `<li class="perm" data-permission="${esc(p)}"><span class="perm-icon">✓</span>
        <span><strong>${esc(w.title)}</strong><span class="muted small">${esc(w.detail)}</span></span></li>`;
    })
    .join('');
  const prefetchNote = prefetch.length
    ? `<p class="muted small" data-testid="prefetch">Retrieved right after you link: ${esc(
        prefetch.map((f) => permissionWords(f).title.toLowerCase()).join(', '),
      )}.</p>`
    : '';
  return layout({
    title: 'Link your accounts',
    step: 'consent',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <h1>This app uses Stripe to link your accounts</h1>
    <p class="muted">You're asked to share:</p>
    <ul class="list" data-testid="permissions">${items}</ul>
    ${prefetchNote}
    <p class="muted small">Stripe only shares this data with this app, and you can disconnect your accounts at any time.</p>
    <form method="post" action="${flowPath(flow)}/consent" class="actions">
      <button type="submit" class="button button-primary" data-testid="consent-agree">Agree and continue</button>
    </form>`,
  });
}

function institutionItems(options: InstitutionOption[]): Html {
  const tests = options.filter((o) => o.kind === 'test');
  const directory = options.filter((o) => o.kind === 'directory');
  const item = (o: InstitutionOption) =>
    `<li><button type="submit" name="institution" value="${esc(o.id)}" class="institution" data-testid="institution-option" data-kind="${o.kind}">
      <span class="inst-logo" aria-hidden="true">${esc(initials(o.name))}</span><span class="inst-name">${esc(o.name)}</span>
      ${o.kind === 'test' ? '<span class="badge badge-inst">Test</span>' : ''}</button></li>`;
  const section = (title: string, list: InstitutionOption[]) =>
    list.length ? `<li class="section-title">${esc(title)}</li>${list.map(item).join('')}` : '';
  const empty = options.length
    ? ''
    : '<li class="muted" data-testid="no-results">No institution matches.</li>';
  return section('Test institutions', tests) + section('Banks and credit unions', directory) + empty;
}

// No `autofocus` on any step: Chromium blocks it in a cross-origin frame (the flow runs in the merchant's page) and
// logs a console error each time.
export function institutionPage(
  flow: Flow,
  query: string,
  options: InstitutionOption[],
  manualEntry = false,
): Html {
  const manual = manualEntry
    ? `<form method="post" action="${flowPath(flow)}/manual" class="manual-entry">
         <button type="submit" class="button button-secondary" data-testid="manual-entry">Enter bank details manually instead</button>
       </form>`
    : '';
  return layout({
    title: 'Select your bank',
    step: 'institution',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <h1>Select your bank</h1>
    <form method="get" action="${flowPath(flow)}" role="search" id="search-form">
      <input type="search" name="q" value="${esc(query)}" placeholder="Search 400+ banks and credit unions"
        aria-label="Search institutions" autocomplete="off" data-testid="institution-search">
    </form>
    <form method="post" action="${flowPath(flow)}/institution">
      <ul class="institutions" id="institution-list" data-testid="institution-list" data-query="${esc(query)}">${institutionItems(options)}</ul>
    </form>
    ${manual}`,
    scripts:
      jsonBlock('flow-search', { url: `${flowPath(flow)}/institutions` }) +
      `<script>${SEARCH_SCRIPT}</script>`,
  });
}

/** Manual entry: routing and account number typed in (verified later with microdeposits, as on Stripe). */
export function manualEntryPage(flow: Flow, error?: string): Html {
  return layout({
    title: 'Enter bank details',
    step: 'manual',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <h1>Enter bank details</h1>
    ${errorBanner(error)}
    <div class="notice" data-testid="manual-help">Test mode: routing number <code>110000000</code> with one of Stripe's
      test account numbers (for example <code>000123456789</code>; <code>000222222227</code> fails with insufficient
      funds). Payments from this account are verified with microdeposits.</div>
    <form method="post" action="${flowPath(flow)}/manual">
      <label for="routing_number">Routing number</label>
      <input type="text" id="routing_number" name="routing_number" inputmode="numeric" autocomplete="off" data-testid="routing-number">
      <label for="account_number">Account number</label>
      <input type="text" id="account_number" name="account_number" inputmode="numeric" autocomplete="off" data-testid="account-number">
      <label for="account_number_confirmation">Confirm account number</label>
      <input type="text" id="account_number_confirmation" name="account_number_confirmation" inputmode="numeric" autocomplete="off" data-testid="account-number-confirmation">
      <label class="choice"><input type="radio" name="account_type" value="checking" checked> Checking</label>
      <label class="choice"><input type="radio" name="account_type" value="savings"> Savings</label>
      <div class="actions"><button type="submit" class="button button-primary" data-testid="manual-submit">Link account</button></div>
    </form>
    ${backButton(flow)}`,
  });
}

export function loginPage(flow: Flow, inst: FlowInstitution, error?: string): Html {
  const keywords =
    inst.login.kind === 'credentials' && inst.login.keywords
      ? `<div class="notice" data-testid="keyword-help">Any username and password work. Type <code>mfa</code>,
         <code>options</code>, <code>confirm_mfa</code> or <code>security_question</code> for further prompts,
         <code>incorrect</code> for a failed login, or <code>error</code> to end the session.</div>`
      : `<div class="notice">Test mode: any username and password work.${
          inst.simulatedBy
            ? ` In the sandbox, ${esc(inst.name)} links the test accounts of ${esc(inst.simulatedBy)}.`
            : ''
        }</div>`;
  return layout({
    title: `Log in to ${inst.name}`,
    step: 'login',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <div class="bank-header"><span class="inst-logo">${esc(initials(inst.name))}</span>${esc(inst.name)}</div>
    <h1>Log in to ${esc(inst.name)}</h1>
    ${errorBanner(error)}
    ${keywords}
    <form method="post" action="${flowPath(flow)}/login">
      <label for="username">Username</label>
      <input type="text" id="username" name="username" autocomplete="off" data-testid="username">
      <label for="password">Password</label>
      <input type="password" id="password" name="password" autocomplete="off" data-testid="password">
      <div class="actions"><button type="submit" class="button button-primary" data-testid="login-submit">Log in</button></div>
    </form>
    ${backButton(flow)}`,
  });
}

const PROMPTS: Record<PromptKind, { title: string; body: Html; submit: string }> = {
  options: {
    title: 'Where should we send your code?',
    body: `<p class="muted">Choose how to receive a one-time code.</p>
      <label class="choice"><input type="radio" name="answer" value="sms" checked data-testid="option-sms"> Text message to (•••) •••-4321</label>
      <label class="choice"><input type="radio" name="answer" value="email" data-testid="option-email"> Email to j•••@example.com</label>
      <label class="choice"><input type="radio" name="answer" value="call" data-testid="option-call"> Phone call to (•••) •••-4321</label>`,
    submit: 'Send code',
  },
  mfa: {
    title: 'Enter your one-time code',
    body: `<p class="muted">We sent a code to your phone. Test mode: any 4 to 8 digits work.</p>
      <label for="answer">Code</label>
      <input type="text" id="answer" name="answer" inputmode="numeric" autocomplete="one-time-code" data-testid="prompt-answer">`,
    submit: 'Verify',
  },
  confirm_mfa: {
    title: "Confirm it's you",
    body: `<p class="muted">We sent a notification to your mobile device. Approve the sign-in there, then continue.</p>`,
    submit: "I've approved it",
  },
  security_question: {
    title: 'Answer your security question',
    body: `<p class="muted">Test mode: any answer works.</p>
      <label for="answer">What was the name of your first pet?</label>
      <input type="text" id="answer" name="answer" autocomplete="off" data-testid="prompt-answer">`,
    submit: 'Continue',
  },
};

export function promptPage(flow: Flow, inst: FlowInstitution, prompt: PromptKind, error?: string): Html {
  const p = PROMPTS[prompt];
  return layout({
    title: p.title,
    step: `prompt-${prompt}`,
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <div class="bank-header"><span class="inst-logo">${esc(initials(inst.name))}</span>${esc(inst.name)}</div>
    <h1>${esc(p.title)}</h1>
    ${errorBanner(error)}
    <form method="post" action="${flowPath(flow)}/prompt">
      ${p.body}
      <div class="actions"><button type="submit" class="button button-primary" data-testid="prompt-submit">${esc(p.submit)}</button></div>
    </form>
    ${backButton(flow)}`,
  });
}

export interface AccountChoiceView {
  key: string;
  label: string;
  detail: string;
  disabledReason: string | null;
}

function accountCheckboxes(choices: AccountChoiceView[]): Html {
  return choices
    .map(
      (
        c,
      ) => `<label class="account${c.disabledReason ? ' disabled' : ''}" data-testid="account-option" data-key="${esc(c.key)}">
        <input type="checkbox" name="accounts" value="${esc(c.key)}"${c.disabledReason ? ' disabled' : ''}>
        <span><span class="account-name">${esc(c.label)}</span>
        <span class="muted small">${esc(c.detail)}${c.disabledReason ? ` · ${esc(c.disabledReason)}` : ''}</span></span>
      </label>`,
    )
    .join('');
}

/** The OAuth step, drawn as the bank's own window on top of the flow (Stripe opens a popup to the bank). */
export function oauthPage(
  flow: Flow,
  inst: FlowInstitution,
  choices: AccountChoiceView[] | null,
  error?: string,
): Html {
  const slug = inst.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const picker = choices
    ? `<p class="muted small">Choose the accounts to share:</p>${accountCheckboxes(choices)}`
    : `<p class="muted small">You'll choose which accounts to share next.</p>`;
  return layout({
    title: `Continue to ${inst.name}`,
    step: 'oauth',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <div class="bank-header"><span class="inst-logo">${esc(initials(inst.name))}</span>${esc(inst.name)}</div>
    <h1>Log in at ${esc(inst.name)}</h1>
    <p class="muted">You'll be sent to ${esc(inst.name)} to log in and approve access, then brought back here.</p>
    ${errorBanner(error)}
    <div class="actions"><button type="button" class="button button-primary" id="oauth-open" data-testid="oauth-continue">Continue to ${esc(inst.name)}</button></div>
    ${backButton(flow, 'Choose another bank')}
    <dialog class="oauth-window" id="oauth-window" data-testid="oauth-window"${error ? ' data-open="1"' : ''}>
      <div class="window-bar"><span class="window-dot"></span><span class="window-dot"></span><span class="window-dot"></span>
        <span class="window-url">https://${esc(slug)}.oauth.sandbox.test/authorize</span></div>
      <div class="window-body">
        <div class="bank-header"><span class="inst-logo">${esc(initials(inst.name))}</span>${esc(inst.name)}</div>
        <p><strong>Stripe</strong> is asking to access your ${esc(inst.name)} accounts on behalf of this app.</p>
        <form method="post" action="${flowPath(flow)}/oauth">
          ${picker}
          <div class="actions"><button type="submit" class="button button-primary" data-testid="oauth-authorize">Authorize</button></div>
        </form>
        <form method="post" action="${flowPath(flow)}/back">
          <button type="submit" class="button button-secondary" data-testid="oauth-cancel">Cancel</button>
        </form>
      </div>
    </dialog>`,
    scripts: `<script>${OAUTH_SCRIPT}</script>`,
  });
}

const OUTAGES: Record<'scheduled' | 'unscheduled' | 'error', (name: string, until: string) => string> = {
  scheduled: (name, until) =>
    `${name} is undergoing scheduled maintenance until ${until}. Try again later, or choose another bank.`,
  unscheduled: (name) =>
    `${name} isn't responding right now. This is usually resolved soon: try again later, or choose another bank.`,
  error: (name) =>
    `We couldn't connect to ${name} because of an unknown error. Try again, or choose another bank.`,
};

export function downPage(
  flow: Flow,
  inst: FlowInstitution,
  outage: 'scheduled' | 'unscheduled' | 'error',
): Html {
  // A fixed window two hours ahead, shown in UTC so the page reads the same on every machine.
  const until = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * 3_600_000)
    .toISOString()
    .replace(/:\d\d\.\d{3}Z$/, ' UTC')
    .replace('T', ' ');
  return layout({
    title: `${inst.name} is unavailable`,
    step: 'down',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <div class="success-mark fail-mark" aria-hidden="true">!</div>
    <h1>${esc(inst.name)} is unavailable</h1>
    <p data-testid="outage" data-outage="${esc(outage)}">${esc(OUTAGES[outage](inst.name, until))}</p>
    ${backButton(flow, 'Choose another bank')}`,
  });
}

export function accountsPage(
  flow: Flow,
  inst: FlowInstitution,
  choices: AccountChoiceView[],
  error?: string,
): Html {
  return layout({
    title: 'Select accounts',
    step: 'accounts',
    exitAction: `${flowPath(flow)}/exit`,
    body: `
    <div class="bank-header"><span class="inst-logo">${esc(initials(inst.name))}</span>${esc(inst.name)}</div>
    <h1>Select accounts</h1>
    <p class="muted">Choose the accounts to link to this app.</p>
    ${errorBanner(error)}
    <form method="post" action="${flowPath(flow)}/accounts">
      <div data-testid="account-list">${accountCheckboxes(choices)}</div>
      <div class="actions"><button type="submit" class="button button-primary" data-testid="link-accounts">Link accounts</button></div>
    </form>
    ${backButton(flow, 'Choose another bank')}`,
  });
}

/** What the final page's script needs: where to post the result, or where to go. */
function finishConfig(flow: Flow, result: FlowResult, auto: boolean): Html {
  return (
    jsonBlock('flow-finish', {
      mode: flow.mode,
      parentOrigin: flow.parentOrigin,
      finishUrl: `${flowPath(flow)}/finish`,
      auto,
      result,
    }) + `<script>${FINISH_SCRIPT}</script>`
  );
}

export function successPage(flow: Flow, result: FlowResult, institutionName: string): Html {
  const session = 'financialConnectionsSession' in result ? result.financialConnectionsSession : null;
  const rows = (session?.accounts ?? [])
    .map(
      (a) =>
        `<li class="account" data-testid="linked-account"><span><span class="account-name">${esc(
          a.display_name ?? a.institution_name,
        )}</span><span class="muted small">${esc(institutionName || a.institution_name)}${a.last4 ? ` ••••${esc(a.last4)}` : ''}</span></span></li>`,
    )
    .join('');
  return layout({
    title: 'Success',
    step: 'success',
    body: `
    <div class="success-mark" aria-hidden="true">✓</div>
    <h1>Your accounts were linked</h1>
    <p class="muted">These accounts are now connected to this app:</p>
    <ul class="list">${rows}</ul>
    <div class="actions"><button type="button" class="button button-primary" id="finish" data-testid="done">Done</button></div>`,
    scripts: finishConfig(flow, result, false),
  });
}

export function failedPage(flow: Flow, result: FlowResult): Html {
  const message = 'error' in result ? result.error.message : 'Something went wrong.';
  return layout({
    title: 'Something went wrong',
    step: 'failed',
    body: `
    <div class="success-mark fail-mark" aria-hidden="true">!</div>
    <h1>Something went wrong</h1>
    <p data-testid="failure-message">${esc(message)}</p>
    <div class="actions"><button type="button" class="button button-primary" id="finish" data-testid="done">Close</button></div>`,
    scripts: finishConfig(flow, result, false),
  });
}

/** After an exit: the embedded flow closes at once; a standalone page says so (or the route redirects). */
export function exitedPage(flow: Flow, result: FlowResult): Html {
  return layout({
    title: 'No accounts linked',
    step: 'exited',
    body: `
    <h1>No accounts were linked</h1>
    <p class="muted" data-testid="exited">You left before linking an account. You can close this window.</p>`,
    scripts: finishConfig(flow, result, true),
  });
}

/** Standalone end page when the session has no return_url. */
export function closeWindowPage(title: string): Html {
  return layout({
    title,
    step: 'closed',
    body: `<h1>${esc(title)}</h1><p class="muted">You can close this window and return to the app.</p>`,
  });
}

/** The entry page: reads the client secret from the URL fragment (never sent to the server in a URL). */
export function startPage(): Html {
  return layout({
    title: 'Link your accounts',
    step: 'start',
    body: `<h1>Loading…</h1><p class="muted" id="start-status" data-testid="start-status">Opening your bank connection.</p>`,
    scripts: `<script>${START_SCRIPT}</script>`,
  });
}

/** A flow id that is unknown or expired. */
export function notFoundPage(): Html {
  return layout({
    title: 'Link expired',
    step: 'not-found',
    body: `<h1>This link has expired</h1><p class="muted">Start again from the app that sent you here.</p>`,
  });
}
