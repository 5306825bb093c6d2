// The hosted linking flow's HTTP routes (/link/…) and the Stripe.js-compatible script (/v3/), on the sandbox's server.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { searchInstitutions } from '../institution-directory';
import { sendHtml } from './html';
import {
  accountChoices,
  back,
  exitFlow,
  FlowInputError,
  FlowRegistry,
  selectInstitution,
  startManualEntry,
  submitAccounts,
  submitLogin,
  submitManualEntry,
  submitOAuth,
  submitPrompt,
  type Flow,
  type FlowMode,
} from './flows';
import {
  accountsPage,
  closeWindowPage,
  consentPage,
  downPage,
  exitedPage,
  failedPage,
  flowPath,
  institutionPage,
  loginPage,
  manualEntryPage,
  notFoundPage,
  oauthPage,
  promptPage,
  startPage,
  successPage,
} from './pages';
import type { AuthFlowPort } from './port';
import { STRIPE_JS_PATHS, stripeJsSource } from './stripe-js';

type Form = Record<string, string[]>;

export interface AuthFlowOptions {
  /** @default 1000 open flows; the oldest are forgotten first */
  maxFlows?: number;
}

/** What registerFlowRoutes gives back: the open flows, for tests and diagnostics. */
export interface AuthFlow {
  readonly flows: FlowRegistry;
}

/**
 * Registers the flow under its own encapsulated context, with its own body parsers (JSON for /link/start, forms for
 * the pages), so nothing here changes how the Stripe API routes parse bodies.
 */
export function registerFlowRoutes(
  http: FastifyInstance,
  port: AuthFlowPort,
  options: AuthFlowOptions = {},
): AuthFlow {
  const flows = new FlowRegistry(options.maxFlows);
  void http.register(async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) => {
        try {
          done(null, body ? JSON.parse(body as string) : {});
        } catch {
          done(null, {});
        }
      },
    );
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 65_536 },
      (_req, body, done) => {
        const form: Form = {};
        for (const [k, v] of new URLSearchParams(body as string)) (form[k] ??= []).push(v);
        done(null, form);
      },
    );

    for (const path of STRIPE_JS_PATHS) {
      app.get(path, async (request, reply) => {
        reply
          .header('content-type', 'application/javascript; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('access-control-allow-origin', '*')
          .header('x-content-type-options', 'nosniff');
        return stripeJsSource(requestOrigin(request));
      });
    }

    app.get('/link/start', async (_request, reply) => sendPage(reply, startPage()));

    app.post('/link/start', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const clientSecret = typeof body.client_secret === 'string' ? body.client_secret : '';
      const mode: FlowMode = body.mode === 'modal' ? 'modal' : 'page';
      const parentOrigin =
        typeof body.parent_origin === 'string' ? normaliseOrigin(body.parent_origin) : null;
      if (mode === 'modal' && !parentOrigin) {
        return reply
          .code(400)
          .send(startError('invalid_request_error', 'The embedding page must have an http(s) origin.'));
      }
      const session = clientSecret ? port.findSessionByClientSecret(clientSecret) : undefined;
      if (!session) {
        return reply
          .code(404)
          .send(
            startError(
              'invalid_request_error',
              'No such Financial Connections Session for this client secret.',
              'resource_missing',
            ),
          );
      }
      if (session.used) {
        return reply
          .code(400)
          .send(
            startError('invalid_request_error', 'This Financial Connections Session has already been used.'),
          );
      }
      const flow = flows.create(session.id, mode === 'modal' ? parentOrigin : null, mode);
      return { url: flowPath(flow) };
    });

    app.get<{ Params: { flowId: string }; Querystring: { q?: string } }>(
      '/link/:flowId',
      async (request, reply) => {
        const flow = flows.get(request.params.flowId);
        if (!flow) return sendPage(reply.code(404), notFoundPage());
        return sendPage(reply, renderStep(flow, typeof request.query.q === 'string' ? request.query.q : ''));
      },
    );

    app.get<{ Params: { flowId: string }; Querystring: { q?: string } }>(
      '/link/:flowId/institutions',
      async (request, reply) => {
        const flow = flows.get(request.params.flowId);
        if (!flow)
          return reply.code(404).send({ error: { type: 'invalid_request_error', message: 'Unknown flow.' } });
        reply.header('cache-control', 'no-store');
        const q = typeof request.query.q === 'string' ? request.query.q.slice(0, 100) : '';
        return { institutions: search(q) };
      },
    );

    app.post<{ Params: { flowId: string; action: string } }>(
      '/link/:flowId/:action',
      async (request, reply) => {
        const flow = flows.get(request.params.flowId);
        if (!flow) return sendPage(reply.code(404), notFoundPage());
        const form = (request.body ?? {}) as Form;
        const one = (name: string) => (form[name]?.[0] ?? '').slice(0, 500);
        try {
          act(flow, request.params.action, one, form.accounts ?? []);
        } catch (err) {
          if (!(err instanceof FlowInputError)) throw err;
          // The institution vanished from under the step: start the search again, with the reason.
          flow.step = { name: 'institution' };
        }
        // Leaving a standalone flow goes straight to the app (return_url); an embedded one shows its closing page.
        const next =
          flow.step.name === 'done' && flow.step.outcome === 'exited' && flow.mode === 'page'
            ? `${flowPath(flow)}/finish`
            : flowPath(flow);
        // The embedded flow's script asks for JSON and loads the next step once (client-scripts.ts); forms get a 303.
        if (String(request.headers.accept ?? '').startsWith('application/json')) {
          return reply.header('cache-control', 'no-store').send({ url: next });
        }
        return reply.redirect(next, 303);
      },
    );

    app.get<{ Params: { flowId: string } }>('/link/:flowId/finish', async (request, reply) => {
      const flow = flows.get(request.params.flowId);
      if (!flow) return sendPage(reply.code(404), notFoundPage());
      if (flow.step.name !== 'done') return reply.redirect(flowPath(flow), 303);
      const returnUrl = port.getSession(flow.sessionId)?.returnUrl ?? null;
      const target = flow.mode === 'page' ? withSessionId(returnUrl, flow.sessionId) : null;
      if (target) return reply.redirect(target, 303);
      return sendPage(
        reply,
        closeWindowPage(flow.step.outcome === 'linked' ? 'Your accounts were linked' : 'Done'),
      );
    });
  });

  function search(q: string) {
    return searchInstitutions(q, { testInstitutions: port.testInstitutions() });
  }

  function act(flow: Flow, action: string, one: (name: string) => string, accounts: string[]): void {
    if (action === 'exit') return safely(flow, () => exitFlow(port, flow));
    if (action === 'back') return back(flow);
    switch (flow.step.name) {
      case 'consent':
        if (action === 'consent') flow.step = { name: 'institution' };
        return;
      case 'institution':
        if (action === 'institution') selectInstitution(port, flow, one('institution'));
        if (action === 'manual') startManualEntry(port, flow);
        return;
      case 'manual':
        if (action === 'manual')
          safely(flow, () =>
            submitManualEntry(port, flow, {
              routing: one('routing_number'),
              account: one('account_number'),
              confirm: one('account_number_confirmation'),
              type: one('account_type'),
            }),
          );
        return;
      case 'login':
        if (action === 'login') safely(flow, () => submitLogin(port, flow, one('username'), one('password')));
        return;
      case 'prompt':
        if (action === 'prompt') submitPrompt(port, flow, one('answer'));
        return;
      case 'oauth':
        if (action === 'oauth') safely(flow, () => submitOAuth(port, flow, accounts));
        return;
      case 'accounts':
        if (action === 'accounts') safely(flow, () => submitAccounts(port, flow, accounts));
        return;
      default:
        // A stale form (back button, double submit): show the current step again.
        return;
    }
  }

  /** Completing can fail when the session ended elsewhere (e.g. the test helper); the flow then ends with an error. */
  function safely(flow: Flow, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof FlowInputError) throw err;
      const used = port.getSession(flow.sessionId)?.used ?? false;
      flow.step = {
        name: 'done',
        outcome: 'failed',
        result: {
          error: used
            ? {
                type: 'invalid_request_error',
                message: 'This Financial Connections Session has already been used.',
              }
            : { type: 'api_error', message: 'An unknown error occurred while linking your accounts.' },
        },
      };
    }
  }

  function renderStep(flow: Flow, query: string): string {
    const step = flow.step;
    const session = port.getSession(flow.sessionId);
    const instOf = (id: string) => port.institution(id);
    switch (step.name) {
      case 'consent':
        return consentPage(flow, session?.permissions ?? [], session?.prefetch ?? []);
      case 'institution':
        return institutionPage(flow, query, search(query), session?.manualEntry ?? false);
      case 'manual':
        return manualEntryPage(flow, step.error);
      case 'login': {
        const inst = instOf(step.institutionId);
        return inst ? loginPage(flow, inst, step.error) : institutionPage(flow, query, search(query));
      }
      case 'prompt': {
        const inst = instOf(step.institutionId);
        return inst
          ? promptPage(flow, inst, step.prompt, step.error)
          : institutionPage(flow, query, search(query));
      }
      case 'oauth': {
        const inst = instOf(step.institutionId);
        if (!inst) return institutionPage(flow, query, search(query));
        const picks = inst.login.kind === 'oauth' && inst.login.picksAccounts;
        return oauthPage(flow, inst, picks ? accountChoices(port, flow, inst.id) : null, step.error);
      }
      case 'down': {
        const inst = instOf(step.institutionId);
        if (!inst || inst.login.kind !== 'down') return institutionPage(flow, query, search(query));
        return downPage(flow, inst, inst.login.outage);
      }
      case 'accounts': {
        const inst = instOf(step.institutionId);
        if (!inst) return institutionPage(flow, query, search(query));
        return accountsPage(flow, inst, accountChoices(port, flow, inst.id), step.error);
      }
      case 'done':
        if (step.outcome === 'linked') {
          const name = (step.institutionId && instOf(step.institutionId)?.name) || '';
          return successPage(flow, step.result, name);
        }
        return step.outcome === 'failed' ? failedPage(flow, step.result) : exitedPage(flow, step.result);
    }
  }

  return { flows };
}

function startError(type: string, message: string, code?: string) {
  return { error: code ? { type, code, message } : { type, message } };
}

/** Any site may embed the flow, as with Stripe.js (see sendHtml). */
function sendPage(reply: FastifyReply, html: string): FastifyReply {
  return sendHtml(reply, html, '*');
}

/** `http(s)://host[:port]` exactly, or null: the only targets a result may be posted to. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin === value ? value : null;
  } catch {
    return null;
  }
}

/** The return_url with `session_id=<fcsess_…>` appended, or null when there is none or it is not http(s). */
export function withSessionId(returnUrl: string | null, sessionId: string): string | null {
  if (!returnUrl) return null;
  try {
    const url = new URL(returnUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.searchParams.set('session_id', sessionId);
    return url.toString();
  } catch {
    return null;
  }
}

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? `127.0.0.1`}`;
}
