// Request parameters: form bodies and query strings parsed with `qs`, then checked against a small per-endpoint spec.
// Both array encodings are accepted: `features[]=x` (curl, docs) and `features[0]=x` (stripe-node).
import qs from 'qs';
import { parameterInvalid, parameterMissing, parameterUnknown } from './errors';

export type Params = Record<string, unknown>;

/** Parses `a[b][]=1&c[0]=2` into nested objects and arrays. Limits are generous: stripe-node indexes arrays. */
export function parseForm(raw: string): Params {
  return qs.parse(raw, {
    arrayLimit: 10_000,
    depth: 12,
    parameterLimit: 10_000,
    allowPrototypes: false,
  }) as Params;
}

export type Spec =
  | { t: 'string'; required?: boolean; enum?: readonly string[]; max?: number; emptyable?: boolean }
  | { t: 'int'; required?: boolean; min?: number; max?: number; emptyable?: boolean }
  | { t: 'bool'; required?: boolean }
  | { t: 'array'; required?: boolean; of: Spec; emptyable?: boolean; max?: number }
  | { t: 'object'; required?: boolean; props: Record<string, Spec>; emptyable?: boolean }
  | { t: 'metadata'; required?: boolean }
  | { t: 'range'; required?: boolean }
  | { t: 'any'; required?: boolean };

/** Spec builders, so route files read like Stripe's parameter tables. */
export const p = {
  str: (o: Omit<Extract<Spec, { t: 'string' }>, 't'> = {}): Spec => ({ t: 'string', ...o }),
  int: (o: Omit<Extract<Spec, { t: 'int' }>, 't'> = {}): Spec => ({ t: 'int', ...o }),
  bool: (o: { required?: boolean } = {}): Spec => ({ t: 'bool', ...o }),
  arr: (of: Spec, o: { required?: boolean; emptyable?: boolean; max?: number } = {}): Spec => ({
    t: 'array',
    of,
    ...o,
  }),
  obj: (props: Record<string, Spec>, o: { required?: boolean; emptyable?: boolean } = {}): Spec => ({
    t: 'object',
    props,
    ...o,
  }),
  metadata: (): Spec => ({ t: 'metadata' }),
  range: (): Spec => ({ t: 'range' }),
  any: (): Spec => ({ t: 'any' }),
  expand: (): Spec => ({ t: 'array', of: { t: 'string', max: 5000 } }),
};

/** Pagination parameters shared by every list endpoint. */
export const listParams: Record<string, Spec> = {
  limit: p.int({ min: 1, max: 100 }),
  starting_after: p.str({ max: 5000 }),
  ending_before: p.str({ max: 5000 }),
  expand: p.expand(),
};

function child(path: string, key: string): string {
  return path ? `${path}[${key}]` : key;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Arrays may arrive as `{ '0': a, '1': b }` when a client skipped indexes; normalise to a list. */
function asArray(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (isRecord(v) && Object.keys(v).every((k) => /^\d+$/.test(k))) {
    return Object.keys(v)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => v[k]);
  }
  return undefined;
}

function check(value: unknown, spec: Spec, path: string): unknown {
  if (spec.t === 'any') return value;
  switch (spec.t) {
    case 'string': {
      if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
      if (typeof value !== 'string')
        throw parameterInvalid(path, `Invalid string: ${path} must be a string.`);
      if (value === '' && !spec.emptyable && spec.required)
        throw parameterInvalid(
          path,
          `You passed an empty string for '${path}'. We assume empty values are an attempt to unset a parameter; however '${path}' cannot be unset. You should remove '${path}' from your request or supply a non-empty value.`,
          'parameter_invalid_empty',
        );
      if (spec.max !== undefined && value.length > spec.max)
        throw parameterInvalid(path, `Invalid string: ${path} must be at most ${spec.max} characters.`);
      if (spec.enum && !spec.enum.includes(value))
        throw parameterInvalid(
          path,
          `Invalid ${path}: must be one of ${spec.enum.join(', ')}`,
          value === '' ? 'parameter_invalid_empty' : 'parameter_invalid_string',
        );
      return value;
    }
    case 'int': {
      if (value === '' && spec.emptyable) return null;
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^-?\d+$/.test(value)
            ? Number(value)
            : NaN;
      if (!Number.isSafeInteger(n))
        throw parameterInvalid(
          path,
          `Invalid integer: ${String(value).slice(0, 40)}`,
          'parameter_invalid_integer',
        );
      if (spec.min !== undefined && n < spec.min)
        throw parameterInvalid(
          path,
          `Invalid integer: ${path} must be at least ${spec.min}.`,
          'parameter_invalid_integer',
        );
      if (spec.max !== undefined && n > spec.max)
        throw parameterInvalid(
          path,
          `Invalid integer: ${path} must be at most ${spec.max}.`,
          'parameter_invalid_integer',
        );
      return n;
    }
    case 'bool': {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw parameterInvalid(
        path,
        `Invalid boolean: ${String(value).slice(0, 40)}`,
        'parameter_invalid_boolean',
      );
    }
    case 'array': {
      if (value === '' && spec.emptyable) return [];
      const list = asArray(value);
      if (!list)
        throw parameterInvalid(path, `Invalid array: ${path} must be an array.`, 'parameter_invalid_array');
      if (spec.max !== undefined && list.length > spec.max)
        throw parameterInvalid(
          path,
          `Invalid array: ${path} must have at most ${spec.max} items.`,
          'parameter_invalid_array',
        );
      return list.map((item, i) => check(item, spec.of, `${path}[${i}]`));
    }
    case 'object': {
      if (value === '' && spec.emptyable) return null;
      if (!isRecord(value))
        throw parameterInvalid(
          path,
          `Invalid object: ${path} must be an object.`,
          'parameter_invalid_object',
        );
      return checkProps(value, spec.props, path);
    }
    case 'metadata': {
      if (value === '') return null;
      if (!isRecord(value))
        throw parameterInvalid(
          path,
          `Invalid object: ${path} must be an object.`,
          'parameter_invalid_object',
        );
      const keys = Object.keys(value);
      if (keys.length > 50)
        throw parameterInvalid(path, 'Metadata can have at most 50 keys.', 'parameter_invalid_object');
      const out: Record<string, string> = {};
      for (const k of keys) {
        if (k.length > 40 || /[[\]]/.test(k))
          throw parameterInvalid(
            child(path, k),
            'Metadata keys must be at most 40 characters and contain no square brackets.',
          );
        const v = value[k];
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
          throw parameterInvalid(child(path, k), 'Metadata values must be strings.');
        if (String(v).length > 500)
          throw parameterInvalid(child(path, k), 'Metadata values can be at most 500 characters.');
        out[k] = String(v);
      }
      return out;
    }
    case 'range': {
      if (!isRecord(value)) return check(value, { t: 'int' }, path);
      return checkProps(value, { gt: p.int(), gte: p.int(), lt: p.int(), lte: p.int() }, path);
    }
  }
}

function checkProps(value: Record<string, unknown>, props: Record<string, Spec>, path: string): Params {
  const out: Params = {};
  for (const key of Object.keys(value)) {
    const spec = props[key];
    if (!spec) throw parameterUnknown(child(path, key));
    out[key] = check(value[key], spec, child(path, key));
  }
  for (const [key, spec] of Object.entries(props)) {
    if (
      spec.required &&
      (value[key] === undefined || (Array.isArray(out[key]) && (out[key] as unknown[]).length === 0))
    )
      throw parameterMissing(child(path, key));
  }
  return out;
}

/**
 * Validates request parameters against an endpoint's spec: unknown key → 400 `parameter_unknown`,
 * missing required key → 400 `parameter_missing`, bad type → 400 `parameter_invalid_*`. Returns coerced values.
 */
export function validateParams(raw: Params, props: Record<string, Spec>): Params {
  return checkProps(raw, props, '');
}

/** A stable fingerprint of parameters, for idempotency comparisons (key order does not matter). */
export function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${fingerprint(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}
