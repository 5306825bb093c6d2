// /v1/events: list (type with `*` wildcards, types[], created, delivery_success) and retrieve.
import type { FastifyInstance } from 'fastify';
import { invalidRequest, resourceMissing } from '../errors';
import { filterCreated, paginate } from '../lists';
import { listParams, p } from '../params';
import { clone } from '../render';
import { registerRoute, type RouteContext } from '../router';
import type { Obj } from '../store';

function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (t) => t === pattern;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^]*')}$`,
  );
  return (t) => re.test(t);
}

export function registerEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store, bus } = ctx;

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/events',
    list: true,
    params: {
      ...listParams,
      type: p.str({ max: 5000 }),
      types: p.arr(p.str({ max: 5000 }), { max: 20 }),
      created: p.range(),
      delivery_success: p.bool(),
    },
    handler: (req) => {
      const ps = req.params;
      if (ps.type !== undefined && ps.types !== undefined)
        throw invalidRequest('You may only specify one of these parameters: type, types.', {
          param: 'types',
        });
      // Events go back 30 days.
      const since = store.clock.now() - 30 * 86_400;
      let items = store.events.newestFirst().filter((e) => e.created >= since);
      if (ps.type !== undefined) {
        const m = typeMatcher(ps.type as string);
        items = items.filter((e) => m(e.type));
      }
      if (ps.types !== undefined) {
        const ms = (ps.types as string[]).map(typeMatcher);
        items = items.filter((e) => ms.some((m) => m(e.type)));
      }
      if (ps.delivery_success !== undefined)
        items = items.filter((e) =>
          ps.delivery_success ? e.pending_webhooks === 0 && !bus.failed.has(e.id) : bus.failed.has(e.id),
        );
      items = filterCreated(items, ps.created);
      return clone(paginate(items, ps, '/v1/events', 'event')) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/events/:id',
    params: { expand: p.expand() },
    handler: (req) => {
      const e = store.events.get(req.pathParams.id);
      if (!e) throw resourceMissing('event', req.pathParams.id, 'id');
      return clone(e) as unknown as Obj;
    },
  });
}
