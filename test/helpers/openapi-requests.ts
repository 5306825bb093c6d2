// Validates requests sent to Stripe against the *request* side of the OpenAPI subset (test/sandbox/fixtures/
// stripe-openapi): the operation exists, no unknown query parameter, the form body matches the request schema
// (whose objects forbid unknown keys), enums and types right, and every `expand[]` path names an expandable field
// of the response (Stripe marks them `x-expansionResources`).
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import qs from 'qs';
import { convert, OPENAPI_PATH, openapiValidator } from './openapi';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One request as it crossed the wire. */
export interface WireRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string (no `?`). */
  query: string;
  /** Raw body. */
  body: string;
  contentType: string;
}

export interface RequestValidator {
  /** `METHOD /template` of the operation `request` belongs to, or undefined outside the subset. */
  operationOf(request: Pick<WireRequest, 'method' | 'path'>): string | undefined;
  /** Every way `request` departs from the spec (empty when valid). */
  requestErrors(request: WireRequest): string[];
}

export function requestValidator(): RequestValidator {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as { components: { schemas: Json } };
  const schemas = doc.components.schemas;
  // Form and query values are strings on the wire: coerce them as Stripe does (integers, booleans, one-item arrays).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, coerceTypes: 'array' });
  ajv.addSchema({ components: { schemas: convert(schemas) } }, 'stripe');
  const compiled = new Map<string, ValidateFunction>();
  const check = (key: string, schema: unknown, value: unknown, where: string): string[] => {
    let fn = compiled.get(key);
    if (!fn) compiled.set(key, (fn = ajv.compile(convert(schema) as Json)));
    return fn(value)
      ? []
      : (fn.errors ?? []).map(
          (e) => `${where}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
  };
  const deref = (schema: Json | undefined): Json | undefined =>
    schema?.$ref ? schemas[String(schema.$ref).replace('#/components/schemas/', '')] : schema;
  /** The properties of an object schema, looking through $ref and anyOf branches. */
  const propertiesOf = (schema: Json | undefined): Json | undefined => {
    const s = deref(schema);
    if (!s) return undefined;
    if (s.properties) return s.properties as Json;
    for (const branch of (s.anyOf ?? s.oneOf ?? []) as Json[]) {
      const props = propertiesOf(branch);
      if (props) return props;
    }
    return undefined;
  };

  /** Why `expandPath` cannot be expanded on `op`'s 200 response, or null when it can. */
  const expandError = (op: Json, expandPath: string): string | null => {
    let schema: Json | undefined = op.responses?.['200']?.content?.['application/json']?.schema;
    const segments = expandPath.split('.');
    for (const [i, segment] of segments.entries()) {
      let field = propertiesOf(schema)?.[segment] as Json | undefined;
      if (!field) return `expand[] ${expandPath}: no field ${segment}`;
      if (field.type === 'array') field = field.items as Json;
      const expandable = field['x-expansionResources'] as { oneOf?: Json[] } | undefined;
      if (i === segments.length - 1)
        return expandable ? null : `expand[] ${expandPath}: ${segment} is not expandable`;
      schema = expandable?.oneOf?.[0] ?? field;
    }
    return null;
  };

  const validator = openapiValidator();
  return {
    operationOf(request) {
      const op = validator.findOperation(request.method, request.path);
      return op && `${op.method} ${op.template}`;
    },
    requestErrors(request) {
      const found = validator.findOperation(request.method, request.path);
      if (!found) return [`${request.method} ${request.path}: no such operation in the OpenAPI subset`];
      const op = found.op as Json;
      const name = `${found.method} ${found.template}`;
      const errors: string[] = [];
      const parameters = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query');
      const query = qs.parse(request.query, { depth: 20, arrayLimit: 1000 }) as Json;
      for (const [key, value] of Object.entries(query)) {
        const param = parameters.find((p) => p.name === key);
        if (!param) errors.push(`${name}: unknown query parameter ${key}`);
        else errors.push(...check(`${name} ?${key}`, param.schema, value, `${name} ?${key}`));
      }
      for (const param of parameters.filter((p) => p.required)) {
        if (!(param.name in query)) errors.push(`${name}: missing query parameter ${param.name}`);
      }
      let body: Json = {};
      if (request.method !== 'GET' && request.body) {
        if (!request.contentType.startsWith('application/x-www-form-urlencoded')) {
          errors.push(`${name}: body sent as ${request.contentType}, not a form`);
        }
        body = qs.parse(request.body, { depth: 20, arrayLimit: 1000 }) as Json;
      }
      const bodySchema = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema as
        Json | undefined;
      if (bodySchema) errors.push(...check(`${name} body`, bodySchema, body, `${name} body`));
      else if (Object.keys(body).length) errors.push(`${name}: takes no body`);
      const expand = [query.expand, body.expand].flat().filter((e): e is string => typeof e === 'string');
      for (const path of expand) {
        const error = expandError(op, path);
        if (error) errors.push(`${name}: ${error}`);
      }
      return errors;
    },
  };
}
