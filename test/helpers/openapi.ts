// Validates Stripe API responses against the OpenAPI subset (test/sandbox/fixtures/stripe-openapi, a copy of
// shared/stripe-openapi) with ajv. OpenAPI 3.0's `nullable` is rewritten to JSON Schema (`type: [t, 'null']`,
// or `anyOf: [..., {type: 'null'}]`); `x-` keywords are ignored (strict: false); $refs resolve against
// components.schemas. Reusable: openapiValidator().validateResponse(method, path, status, body).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

export const OPENAPI_PATH = join(
  __dirname,
  '..',
  'sandbox',
  'fixtures',
  'stripe-openapi',
  'financial-connections.json',
);

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes an explicit null alternative, recursively. */
export function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string')
      out[k] = v.replace('#/components/schemas/', 'stripe#/components/schemas/');
    else out[k] = convert(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string' && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

export interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  op: Json;
}

export interface OpenApiValidator {
  /** The operations of the subset, e.g. `GET /v1/financial_connections/accounts/{account}`. */
  operations: Operation[];
  /** The operation an actual request path belongs to (static segments win over parameters). */
  findOperation(method: string, path: string): Operation | undefined;
  /** Errors (empty when valid) of `body` against the operation's response schema for `status`. */
  responseErrors(method: string, path: string, status: number, body: unknown): string[];
  /** Errors of `body` against `components.schemas[name]`. */
  schemaErrors(name: string, body: unknown): string[];
}

let cached: OpenApiValidator | undefined;

export function openapiValidator(): OpenApiValidator {
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
    paths: Record<string, Json>;
    components: { schemas: Json };
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ components: { schemas: convert(doc.components.schemas) } }, 'stripe');
  const compiled = new Map<string, ValidateFunction>();
  const compile = (schema: unknown, key: string): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(convert(schema) as Json);
      compiled.set(key, fn);
    }
    return fn;
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'delete'].includes(method)) continue;
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      operations.push({ method: method.toUpperCase(), template, pattern, op: op as Json });
    }
  }
  const params = (t: string) => (t.match(/\{/g) ?? []).length;
  operations.sort((a, b) => params(a.template) - params(b.template));
  const format = (errors: ErrorObject[] | null | undefined): string[] =>
    (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

  cached = {
    operations,
    findOperation: (method, path) =>
      operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path.split('?')[0])),
    responseErrors(method, path, status, body) {
      const op = cached!.findOperation(method, path);
      if (!op) return [`no operation for ${method} ${path} in the OpenAPI subset`];
      const responses = op.op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
      const response = responses[String(status)] ?? (status >= 400 ? responses.default : undefined);
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) return [`no response schema for ${status} of ${op.method} ${op.template}`];
      const fn = compile(schema, `${op.method} ${op.template} ${status in responses ? status : 'default'}`);
      return fn(body) ? [] : format(fn.errors);
    },
    schemaErrors(name, body) {
      const fn = compile({ $ref: `#/components/schemas/${name}` }, `schema ${name}`);
      return fn(body) ? [] : format(fn.errors);
    },
  };
  return cached;
}
