// /v1/customers: create, list, retrieve, update, delete, search.
import { fullAddress, type Address } from '../address';
import { resourceMissing } from '../errors';
import { filterCreated, paginate } from '../lists';
import { listParams, p, type Params, type Spec } from '../params';
import { registerRoute, type RouteContext } from '../router';
import { clone } from '../render';
import { decodePage, encodePage, matches, parseQuery } from '../search';
import type { Obj } from '../store';
import type { FastifyInstance } from 'fastify';
import { updatedMetadata } from '../metadata';
import type { Customer, Metadata } from '../types';

const address = p.obj(
  {
    city: p.str({ max: 200 }),
    country: p.str({ max: 200 }),
    line1: p.str({ max: 200 }),
    line2: p.str({ max: 200 }),
    postal_code: p.str({ max: 200 }),
    state: p.str({ max: 200 }),
  },
  { emptyable: true },
);

const writable: Record<string, Spec> = {
  address,
  balance: p.int(),
  cash_balance: p.any(),
  coupon: p.str({ max: 5000 }),
  description: p.str({ max: 5000 }),
  email: p.str({ max: 512 }),
  expand: p.expand(),
  invoice_prefix: p.str({ max: 5000 }),
  invoice_settings: p.any(),
  metadata: p.metadata(),
  name: p.str({ max: 256 }),
  next_invoice_sequence: p.int(),
  phone: p.str({ max: 20 }),
  preferred_locales: p.arr(p.str({ max: 5000 }), { emptyable: true }),
  promotion_code: p.str({ max: 5000 }),
  shipping: p.any(),
  source: p.str({ max: 5000 }),
  tax: p.any(),
  tax_exempt: p.str({ enum: ['', 'exempt', 'none', 'reverse'] }),
};

function apply(c: Customer, params: Params): void {
  const str = (k: 'description' | 'email' | 'name' | 'phone') => {
    if (params[k] !== undefined) c[k] = (params[k] as string) === '' ? null : (params[k] as string);
  };
  str('description');
  str('email');
  str('name');
  str('phone');
  if (params.address !== undefined) {
    const a = params.address as Partial<Address> | null;
    c.address = a ? fullAddress(c.address, a) : null;
  }
  if (params.balance !== undefined) c.balance = params.balance as number;
  if (params.invoice_prefix !== undefined) c.invoice_prefix = params.invoice_prefix as string;
  if (params.next_invoice_sequence !== undefined)
    c.next_invoice_sequence = params.next_invoice_sequence as number;
  if (params.preferred_locales !== undefined) c.preferred_locales = params.preferred_locales as string[];
  if (params.tax_exempt !== undefined)
    c.tax_exempt = ((params.tax_exempt as string) || 'none') as Customer['tax_exempt'];
  if (params.metadata !== undefined)
    c.metadata = updatedMetadata(c.metadata, params.metadata as Metadata | null);
}

export function registerCustomerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const get = (id: string, param = 'customer'): Customer => {
    const c = store.customers.get(id);
    if (!c) throw resourceMissing('customer', id, param);
    return c;
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/customers',
    params: {
      ...writable,
      payment_method: p.str({ max: 5000 }),
      tax_id_data: p.any(),
      test_clock: p.str({ max: 5000 }),
    },
    handler: (req) => {
      const id = store.id('cus');
      const c: Customer = {
        id,
        object: 'customer',
        address: null,
        balance: 0,
        created: store.clock.now(),
        currency: null,
        default_source: null,
        delinquent: false,
        description: null,
        discount: null,
        email: null,
        invoice_prefix: id.slice(4, 12).toUpperCase(),
        invoice_settings: {
          custom_fields: null,
          default_payment_method: null,
          footer: null,
          rendering_options: null,
        },
        livemode: false,
        metadata: {},
        name: null,
        next_invoice_sequence: 1,
        phone: null,
        preferred_locales: [],
        shipping: null,
        tax_exempt: 'none',
        test_clock: null,
      };
      apply(c, req.params);
      store.customers.insert(c);
      return clone(c) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/customers',
    list: true,
    params: {
      ...listParams,
      created: p.range(),
      email: p.str({ max: 512 }),
      test_clock: p.str({ max: 5000 }),
    },
    handler: (req) => {
      let items = store.customers.newestFirst();
      if (req.params.email !== undefined) items = items.filter((c) => c.email === req.params.email);
      items = filterCreated(items, req.params.created);
      return clone(paginate(items, req.params, '/v1/customers', 'customer')) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/customers/search',
    list: true,
    params: {
      query: p.str({ required: true, max: 5000 }),
      limit: p.int({ min: 1, max: 100 }),
      page: p.str({ max: 5000 }),
      expand: p.expand(),
    },
    handler: (req) => {
      const query = req.params.query as string;
      const q = parseQuery(query);
      const limit = (req.params.limit as number | undefined) ?? 10;
      const offset = req.params.page ? decodePage(query, req.params.page as string) : 0;
      const all = store.customers.newestFirst().filter((c) => matches(q, c as unknown as Obj));
      const data = all.slice(offset, offset + limit);
      const hasMore = offset + limit < all.length;
      return {
        object: 'search_result',
        data: clone(data),
        has_more: hasMore,
        next_page: hasMore ? encodePage(query, offset + limit) : null,
        url: '/v1/customers/search',
      };
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/customers/:customer',
    params: { expand: p.expand() },
    handler: (req) => {
      const id = req.pathParams.customer;
      if (store.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
      return clone(get(id, 'id')) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/customers/:customer',
    params: {
      ...writable,
      bank_account: p.any(),
      card: p.any(),
      default_alipay_account: p.str(),
      default_bank_account: p.str(),
      default_card: p.str(),
      default_source: p.str(),
    },
    handler: (req) => {
      const c = get(req.pathParams.customer, 'id');
      apply(c, req.params);
      return clone(c) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'DELETE',
    url: '/v1/customers/:customer',
    params: {},
    handler: (req) => {
      const c = get(req.pathParams.customer, 'id');
      store.customers.delete(c.id);
      store.deletedCustomers.add(c.id);
      return { id: c.id, object: 'customer', deleted: true };
    },
  });
}
