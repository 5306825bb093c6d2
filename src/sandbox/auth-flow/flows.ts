// The hosted linking flow as a state machine: one Flow per opened flow, its current step, and the transitions.
import { randomBytes } from 'node:crypto';
import type { AuthFlowPort, FlowInstitution, FlowSessionResult } from './port';

/** Stripe's test routing number: the only one the sandbox's manual entry knows. */
const TEST_ROUTING_NUMBER = '110000000';

/** How the flow was opened, which decides how it ends (see finishTarget in routes.ts). */
export type FlowMode = 'modal' | 'page';

export type PromptKind = 'options' | 'mfa' | 'confirm_mfa' | 'security_question';

/** What Stripe.js resolves with: the session, or an error (the `error` keyword, a used session…). */
export type FlowResult =
  | { financialConnectionsSession: FlowSessionResult }
  | { error: { type: string; code?: string; message: string } };

export type Step =
  | { name: 'consent' }
  | { name: 'institution' }
  | { name: 'login'; institutionId: string; error?: string }
  | { name: 'prompt'; institutionId: string; prompt: PromptKind; error?: string }
  | { name: 'oauth'; institutionId: string; error?: string }
  | { name: 'down'; institutionId: string }
  | { name: 'accounts'; institutionId: string; error?: string }
  | { name: 'manual'; error?: string }
  | { name: 'done'; outcome: 'linked' | 'exited' | 'failed'; result: FlowResult; institutionId?: string };

export interface Flow {
  /** Random and unguessable: it is the only credential the flow pages need once started. */
  id: string;
  sessionId: string;
  /** The embedding page's origin; results are posted to it and to nothing else. */
  parentOrigin: string | null;
  mode: FlowMode;
  step: Step;
  createdAt: number;
}

/** The Bank (Non-OAuth) keywords of docs/stripe-facts.md §4: typed as the username or the password. */
export const PROMPT_KEYWORDS: readonly PromptKind[] = ['options', 'mfa', 'confirm_mfa', 'security_question'];

/** An error the user can see; the step stays where it is. */
export class FlowInputError extends Error {}

/** Open flows, by id. Bounded: the oldest are forgotten first, so an abandoned flow cannot grow memory forever. */
export class FlowRegistry {
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly max = 1000) {}

  create(sessionId: string, parentOrigin: string | null, mode: FlowMode): Flow {
    const flow: Flow = {
      id: `fcflow_${randomBytes(18).toString('base64url')}`,
      sessionId,
      parentOrigin,
      mode,
      step: { name: 'consent' },
      createdAt: Date.now(),
    };
    this.flows.set(flow.id, flow);
    while (this.flows.size > this.max) this.flows.delete(this.flows.keys().next().value as string);
    return flow;
  }

  get(id: string): Flow | undefined {
    return this.flows.get(id);
  }
}

/** Why a step needs an institution: every step after "select institution" is about one. */
function institutionOf(port: AuthFlowPort, id: string): FlowInstitution {
  const inst = port.institution(id);
  if (!inst) throw new FlowInputError('That institution is not available. Choose another one.');
  return inst;
}

/** Accounts the session may link from this institution, with the reason an account is greyed out. */
export function accountChoices(
  port: AuthFlowPort,
  flow: Flow,
  institutionId: string,
): { key: string; label: string; detail: string; disabledReason: string | null }[] {
  const session = port.getSession(flow.sessionId);
  const inst = institutionOf(port, institutionId);
  return inst.accounts.map((a) => {
    let disabledReason: string | null = null;
    if (session?.accountSubcategories && !session.accountSubcategories.includes(a.subcategory)) {
      disabledReason = 'Not a supported account type';
    } else if (session?.permissions.includes('payment_method') && !a.supportsAch) {
      disabledReason = "Can't be used for payments";
    }
    return {
      key: a.key,
      label: a.displayName,
      detail: `${a.subcategory.replace(/_/g, ' ')}${a.last4 ? ` ••••${a.last4}` : ''}`,
      disabledReason,
    };
  });
}

/** Moves to whatever follows picking `institutionId`. */
export function selectInstitution(port: AuthFlowPort, flow: Flow, institutionId: string): void {
  const inst = institutionOf(port, institutionId);
  switch (inst.login.kind) {
    case 'none':
      flow.step = { name: 'accounts', institutionId: inst.id };
      return;
    case 'credentials':
      flow.step = { name: 'login', institutionId: inst.id };
      return;
    case 'oauth':
      flow.step = { name: 'oauth', institutionId: inst.id };
      return;
    case 'down':
      flow.step = { name: 'down', institutionId: inst.id };
      return;
  }
}

/**
 * Checks a login. Any username and password work; on an institution with keywords (Bank (Non-OAuth)), a username or
 * password equal to a keyword triggers what Stripe documents: `error` ends the session, `incorrect` asks again, and
 * `options` / `mfa` / `confirm_mfa` / `security_question` show a further prompt.
 */
export function submitLogin(port: AuthFlowPort, flow: Flow, username: string, password: string): void {
  if (flow.step.name !== 'login') return;
  const inst = institutionOf(port, flow.step.institutionId);
  if (!username.trim() || !password.trim()) {
    flow.step = { ...flow.step, error: 'Enter a username and a password (any test values work).' };
    return;
  }
  if (inst.login.kind === 'credentials' && inst.login.keywords) {
    const typed = [username, password].map((v) => v.trim().toLowerCase());
    if (typed.includes('error')) {
      fail(port, flow, inst, `${inst.name} could not be reached to sign you in. This session has ended.`);
      return;
    }
    if (typed.includes('incorrect')) {
      flow.step = {
        name: 'login',
        institutionId: inst.id,
        error: 'The username or password is incorrect. Try again.',
      };
      return;
    }
    const prompt = PROMPT_KEYWORDS.find((k) => typed.includes(k));
    if (prompt) {
      flow.step = { name: 'prompt', institutionId: inst.id, prompt };
      return;
    }
  }
  flow.step = { name: 'accounts', institutionId: inst.id };
}

/** Answers a further prompt; `options` leads to the code prompt, the others to account selection. */
export function submitPrompt(port: AuthFlowPort, flow: Flow, answer: string): void {
  if (flow.step.name !== 'prompt') return;
  const { institutionId, prompt } = flow.step;
  const value = answer.trim();
  switch (prompt) {
    case 'options':
      if (!['sms', 'email', 'call'].includes(value)) {
        flow.step = { ...flow.step, error: 'Choose where to send the code.' };
        return;
      }
      flow.step = { name: 'prompt', institutionId, prompt: 'mfa' };
      return;
    case 'mfa':
      if (!/^\d{4,8}$/.test(value)) {
        flow.step = { ...flow.step, error: 'Enter the code we sent (any 4 to 8 digits work in test mode).' };
        return;
      }
      break;
    case 'security_question':
      if (!value) {
        flow.step = { ...flow.step, error: 'Answer the question (any answer works in test mode).' };
        return;
      }
      break;
    case 'confirm_mfa':
      break;
  }
  flow.step = { name: 'accounts', institutionId };
}

/** OAuth approval. Institutions whose OAuth page picks accounts (Bank (OAuth)) link straight away. */
export function submitOAuth(port: AuthFlowPort, flow: Flow, accountKeys: string[]): void {
  if (flow.step.name !== 'oauth') return;
  const inst = institutionOf(port, flow.step.institutionId);
  if (inst.login.kind === 'oauth' && inst.login.picksAccounts) {
    link(port, flow, inst.id, accountKeys, (error) => {
      flow.step = { name: 'oauth', institutionId: inst.id, error };
    });
    return;
  }
  flow.step = { name: 'accounts', institutionId: inst.id };
}

/** Links the accounts ticked in "select accounts". */
export function submitAccounts(port: AuthFlowPort, flow: Flow, accountKeys: string[]): void {
  if (flow.step.name !== 'accounts') return;
  const institutionId = flow.step.institutionId;
  link(port, flow, institutionId, accountKeys, (error) => {
    flow.step = { name: 'accounts', institutionId, error };
  });
}

function link(
  port: AuthFlowPort,
  flow: Flow,
  institutionId: string,
  accountKeys: string[],
  invalid: (message: string) => void,
): void {
  const session = port.getSession(flow.sessionId);
  const allowed = new Set(
    accountChoices(port, flow, institutionId)
      .filter((c) => !c.disabledReason)
      .map((c) => c.key),
  );
  const keys = [...new Set(accountKeys)];
  if (keys.length === 0) return invalid('Select at least one account.');
  if (keys.some((k) => !allowed.has(k))) return invalid('One of the selected accounts cannot be linked.');
  if (session && keys.length > session.accountLimit) {
    return invalid(`Select at most ${session.accountLimit} account${session.accountLimit === 1 ? '' : 's'}.`);
  }
  const completed = port.complete(flow.sessionId, { institutionId, accountKeys: keys });
  flow.step = {
    name: 'done',
    outcome: 'linked',
    institutionId,
    result: { financialConnectionsSession: completed },
  };
}

/** "Enter bank details manually" (offered when the session allows manual entry). */
export function startManualEntry(port: AuthFlowPort, flow: Flow): void {
  if (flow.step.name === 'institution' && port.getSession(flow.sessionId)?.manualEntry)
    flow.step = { name: 'manual' };
}

/**
 * Links the account typed in by hand: a routing number (the test one, 110000000), an account number typed twice,
 * and checking or savings. Payments from it are verified with microdeposits.
 */
export function submitManualEntry(
  port: AuthFlowPort,
  flow: Flow,
  input: { routing: string; account: string; confirm: string; type: string },
): void {
  if (flow.step.name !== 'manual') return;
  const invalid = (error: string) => {
    flow.step = { name: 'manual', error };
  };
  const routing = input.routing.replace(/\s/g, '');
  const account = input.account.replace(/\s/g, '');
  if (!/^\d{9}$/.test(routing)) return invalid('Enter a 9-digit routing number.');
  if (routing !== TEST_ROUTING_NUMBER)
    return invalid(`Test mode: use the test routing number ${TEST_ROUTING_NUMBER}.`);
  if (!/^\d{4,17}$/.test(account)) return invalid('Enter an account number of 4 to 17 digits.');
  if (account !== input.confirm.replace(/\s/g, '')) return invalid('The account numbers do not match.');
  const completed = port.complete(flow.sessionId, {
    manualEntry: {
      routingNumber: routing,
      accountNumber: account,
      accountType: input.type === 'savings' ? 'savings' : 'checking',
    },
  });
  flow.step = { name: 'done', outcome: 'linked', result: { financialConnectionsSession: completed } };
}

/** Leaving early: the session ends with no accounts, and Stripe.js resolves with an empty `accounts` array. */
export function exitFlow(port: AuthFlowPort, flow: Flow): void {
  if (flow.step.name === 'done') return;
  const ended = port.complete(flow.sessionId, { cancel: true });
  flow.step = { name: 'done', outcome: 'exited', result: { financialConnectionsSession: ended } };
}

/** The institution failed (`error` keyword): the session ends with no accounts and the script gets an error. */
function fail(port: AuthFlowPort, flow: Flow, inst: FlowInstitution, message: string): void {
  port.complete(flow.sessionId, { cancel: true });
  flow.step = {
    name: 'done',
    outcome: 'failed',
    institutionId: inst.id,
    result: { error: { type: 'api_error', code: 'institution_error', message } },
  };
}

/** "Back" from a step about one institution returns to the search. */
export function back(flow: Flow): void {
  if (flow.step.name === 'done' || flow.step.name === 'consent') return;
  flow.step = { name: 'institution' };
}
