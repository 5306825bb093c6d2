// Sandbox-only routes under /v1/test_helpers (Stripe has no FC test helpers, docs/stripe-facts.md §2):
// complete a session without a browser, switch faults and rate limits, move the clock,
// deactivate / reactivate an account.
import type { FastifyInstance } from 'fastify';
import { invalidRequest, resourceMissing } from '../errors';
import { MAX_FAULT_SEED, type FaultConfig } from '../faults';
import { completeSession, LinkingError } from '../linking';
import { p } from '../params';
import { runDailyRefreshes } from '../refresh';
import { renderAccount } from '../render';
import { registerRoute, type RouteContext } from '../router';
import type { Obj } from '../store';

/** What GET /v1/test_helpers/sandbox answers as `name` (the gateway's upstream-identity check looks for it). */
export const SANDBOX_NAME = 'fc-graphql-gateway-sandbox';

export function registerTestHelperRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store, faults } = ctx;

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/financial_connections/sessions/:session/complete',
    params: {
      institution: p.str({ max: 200 }),
      accounts: p.arr(p.str({ max: 200 })),
      cancel: p.bool(),
      manual_entry: p.obj({
        account_number: p.str({ required: true, max: 17 }),
        routing_number: p.str({ max: 9 }),
        account_type: p.str({ enum: ['checking', 'savings'] }),
      }),
      expand: p.expand(),
    },
    handler: (req) => {
      const manual = req.params.manual_entry as Record<string, string> | undefined;
      try {
        return completeSession(store, req.pathParams.session, {
          institution: req.params.institution as string | undefined,
          accounts: req.params.accounts as string[] | undefined,
          cancel: req.params.cancel === true,
          manualEntry: manual && {
            accountNumber: manual.account_number,
            routingNumber: manual.routing_number ?? '110000000',
            accountType: manual.account_type as 'checking' | 'savings' | undefined,
          },
          request: req.eventRequest,
        }).session;
      } catch (err) {
        if (!(err instanceof LinkingError)) throw err;
        if (err.code === 'resource_missing')
          throw resourceMissing('financial_connections.session', req.pathParams.session, 'session');
        throw invalidRequest(err.message, { code: err.code, param: err.param });
      }
    },
  });

  const faultView = (): Obj => {
    const f = faults.get();
    return {
      object: 'sandbox.faults',
      error_rate: f.errorRate,
      latency_ms: f.latencyMs,
      drop_rate: f.dropRate,
      error_status: f.errorStatus,
      seed: f.seed,
      requests_per_second: faults.getRateLimit()?.requestsPerSecond ?? null,
    };
  };

  // Who this upstream is: the gateway treats an upstream as this sandbox only when it answers here
  // (any other STRIPE_API_BASE is Stripe behind a proxy, where this path is a 404).
  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/test_helpers/sandbox',
    control: true,
    params: {},
    handler: () => ({ object: 'sandbox', name: SANDBOX_NAME, livemode: false }),
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/test_helpers/sandbox/faults',
    control: true,
    params: {},
    handler: () => faultView(),
  });

  // Each field given replaces the current value; `requests_per_second=0` (or "") turns rate limiting off.
  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/sandbox/faults',
    control: true,
    params: {
      error_rate: p.str(),
      latency_ms: p.int({ min: 0, max: 120_000 }),
      drop_rate: p.str(),
      error_status: p.int({ min: 400, max: 599 }),
      requests_per_second: p.int({ min: 0, max: 100_000, emptyable: true }),
      seed: p.int({ min: 0, max: MAX_FAULT_SEED }),
      reset: p.bool(),
    },
    handler: (req) => {
      const ps = req.params;
      const rate = (name: string): number | undefined => {
        if (ps[name] === undefined) return undefined;
        const n = Number(ps[name]);
        if (!Number.isFinite(n) || n < 0 || n > 1)
          throw invalidRequest(`${name} must be a number between 0 and 1.`, {
            param: name,
            validation: true,
          });
        return n;
      };
      // reset turns every fault off and keeps the seed.
      const current: FaultConfig = ps.reset ? {} : faults.get();
      faults.set({
        errorRate: rate('error_rate') ?? current.errorRate,
        dropRate: rate('drop_rate') ?? current.dropRate,
        latencyMs: (ps.latency_ms as number | undefined) ?? current.latencyMs,
        errorStatus: (ps.error_status as number | undefined) ?? current.errorStatus,
        seed: (ps.seed as number | undefined) ?? current.seed,
      });
      if (ps.reset) faults.setRateLimit(null);
      if (ps.requests_per_second !== undefined) {
        const rps = ps.requests_per_second as number | null;
        faults.setRateLimit(rps ? { requestsPerSecond: rps } : null);
      }
      return faultView();
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/sandbox/clock/advance',
    control: true,
    params: { seconds: p.int({ required: true, min: 0, max: 10 * 365 * 86_400 }) },
    handler: (req) => {
      store.clock.advance(req.params.seconds as number);
      const refreshed = runDailyRefreshes(store);
      return { object: 'sandbox.clock', now: store.clock.now(), refreshed_accounts: refreshed };
    },
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    registerRoute(app, ctx, {
      method: 'POST',
      url: `/v1/test_helpers/financial_connections/accounts/:account/${action}`,
      params: { expand: p.expand() },
      handler: (req) => {
        const rec = store.fcAccounts.get(req.pathParams.account);
        if (!rec) throw resourceMissing('financial_connections.account', req.pathParams.account, 'account');
        const acc = rec.account;
        if (acc.status === 'disconnected')
          throw invalidRequest(`The account ${acc.id} is disconnected.`, {
            code: 'financial_connections_account_inactive',
          });
        const target = action === 'deactivate' ? 'inactive' : 'active';
        if (acc.status !== target) {
          const previous = { status: acc.status };
          acc.status = target;
          acc.status_details = {};
          store.emit(
            `financial_connections.account.${action}d`,
            renderAccount(store, acc.id)!,
            req.eventRequest,
            previous,
          );
        }
        return renderAccount(store, acc.id)!;
      },
    });
  }
}
