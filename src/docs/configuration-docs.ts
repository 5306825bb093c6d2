// The generated blocks of docs/configuration.md: every environment variable of the config schema
// (src/platform/config.ts) with its default and `.describe()` text, and what each mode requires, found by asking
// parseConfig itself (a variable is required in a mode when leaving it out makes start-up refuse).
import type { z } from 'zod';
import { CONFIG_SCHEMA, ConfigError, parseConfig } from '../platform/config';
import { row, type Blocks } from './generated-blocks';

/** A way to run the gateway: the smallest environment parseConfig accepts for it. */
export interface Mode {
  name: string;
  /** The variables that select the mode (not "required": without them it is another mode). */
  selects: Record<string, string>;
  /** Every other variable parseConfig refuses to start without in this mode, with a placeholder value. */
  requires: Record<string, string>;
}

const SECRET = 'docs-placeholder-secret-0123456789abcdef';
const PRODUCTION = { NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_docs' };
const PRODUCTION_NEEDS = { PARTNER_KEYS: `acme:${SECRET}`, TOKEN_SECRET: SECRET };

/** The modes the page describes. A new requirement in parseConfig makes rendering fail until it is listed here. */
export const MODES: readonly Mode[] = [
  { name: 'development, embedded sandbox', selects: {}, requires: {} },
  {
    name: 'development, real Stripe',
    selects: { STRIPE_SECRET_KEY: 'sk_test_docs' },
    requires: { PARTNER_KEYS: `acme:${SECRET}` },
  },
  { name: 'production', selects: PRODUCTION, requires: PRODUCTION_NEEDS },
  {
    name: 'production, several instances (Redis)',
    selects: { ...PRODUCTION, REDIS_URL: 'redis://redis.internal:6379' },
    requires: { ...PRODUCTION_NEEDS, PARTNER_SECRETS_KEY: '0'.repeat(64) },
  },
];

type Def = { type: string; innerType?: Schema; in?: Schema; defaultValue?: unknown; entries?: object };
type Schema = z.ZodType & { _zod: { def: Def } };

/** The schema and the ones it wraps (default, optional, pipe), outermost first. */
function layers(schema: Schema): Schema[] {
  const out: Schema[] = [];
  for (let s: Schema | undefined = schema; s; s = s._zod.def.innerType ?? s._zod.def.in) out.push(s);
  return out;
}

const HUMAN_MS: [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1_000, 'second'],
];
function formatDefault(name: string, value: unknown): string {
  if (value === '') return 'empty';
  const text = `\`${String(value)}\``;
  if (typeof value !== 'number' || !name.endsWith('_MS')) return text;
  const [unit, word] = HUMAN_MS.find(([ms]) => value >= ms && value % ms === 0) ?? [];
  return unit ? `${text} (${value / unit} ${word}${value / unit === 1 ? '' : 's'})` : text;
}

/** Each variable of the schema: default, allowed values, description. */
export function configVariables(schema: Record<string, z.ZodType> = CONFIG_SCHEMA.shape) {
  return Object.entries(schema).map(([name, field]) => {
    const all = layers(field as Schema);
    const withDefault = all.find((s) => s._zod.def.type === 'default');
    const entries = all.find((s) => s._zod.def.type === 'enum')?._zod.def.entries;
    return {
      name,
      description: all.map((s) => s.description).find(Boolean),
      default: withDefault ? formatDefault(name, withDefault._zod.def.defaultValue) : '—',
      values: entries ? Object.keys(entries) : undefined,
    };
  });
}

/** Why parseConfig refuses `env`, or undefined when it accepts it. */
function refusal(env: Record<string, string>): string | undefined {
  try {
    parseConfig(env);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('; ');
    throw error;
  }
}

/**
 * For each mode, what parseConfig answers without each required variable.
 * @throws when a mode's environment is refused (a new requirement) or lists a variable that is not required.
 */
export function modeRequirements(modes: readonly Mode[] = MODES) {
  return modes.map((mode) => {
    const env = { ...mode.selects, ...mode.requires };
    const refused = refusal(env);
    if (refused)
      throw new Error(
        `Mode "${mode.name}" (src/docs/configuration-docs.ts) is refused by parseConfig: ${refused}`,
      );
    const required = Object.keys(mode.requires).map((name) => {
      const { [name]: _left, ...without } = env;
      const message = refusal(without);
      if (!message)
        throw new Error(`Mode "${mode.name}" lists ${name} as required, but parseConfig starts without it`);
      return { name, message };
    });
    return { ...mode, required };
  });
}

const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** The page's blocks: `config-modes` and `config-variables`. */
export function renderConfigBlocks(variables = configVariables(), modes = modeRequirements()): Blocks {
  const missing = variables.filter((v) => !v.description).map((v) => v.name);
  if (missing.length)
    throw new Error(`src/platform/config.ts: ${missing.join(', ')} without a .describe() text`);
  const requiredIn = (name: string) =>
    modes.filter((m) => m.required.some((r) => r.name === name)).map((m) => m.name);
  return {
    'config-modes': [
      row(['mode', 'set', 'required (start-up refuses without)']),
      row(['---', '---', '---']),
      ...modes.map((m) =>
        row([
          m.name,
          Object.keys(m.selects).length
            ? Object.entries(m.selects)
                .map(([k, v]) => (k.includes('KEY') || k.includes('URL') ? `\`${k}\`` : `\`${k}=${v}\``))
                .join(', ')
            : 'nothing',
          m.required.length ? m.required.map((r) => `\`${r.name}\` (“${r.message}”)`).join('; ') : 'nothing',
        ]),
      ),
    ].join('\n'),
    'config-variables': [
      row(['variable', 'default', 'required in', 'what it does']),
      row(['---', '---', '---', '---']),
      ...variables.map((v) =>
        row([
          `\`${v.name}\``,
          v.default,
          requiredIn(v.name).join('; ') || '—',
          v.values ? `${v.description} (one of ${code(v.values)})` : v.description!,
        ]),
      ),
    ].join('\n'),
  };
}
