// src/sandbox/expandable-fields.ts is the spec's x-expandableFields: regenerated here from the OpenAPI subset and compared.
import { readFileSync } from 'node:fs';
import { EXPANDABLE_FIELDS } from '../../src/sandbox/expandable-fields';
import { OPENAPI_PATH } from '../helpers/openapi';

type Schema = {
  $ref?: string;
  anyOf?: Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema & { enum?: string[] }>;
  'x-expandableFields'?: string[];
};

/** The schema a property holds: a $ref (possibly inside anyOf/allOf/oneOf), or `list:<item>` for an embedded list. */
function target(p: Schema | undefined): string | null {
  if (!p) return null;
  if (p.$ref) return p.$ref.split('/').at(-1)!;
  for (const alt of [...(p.anyOf ?? []), ...(p.allOf ?? []), ...(p.oneOf ?? [])]) {
    const t = target(alt);
    if (t) return t;
  }
  const props = p.properties;
  if (
    p.type === 'object' &&
    props?.data &&
    props.object?.enum?.length === 1 &&
    props.object.enum[0] === 'list'
  ) {
    const item = target(props.data.items);
    return item ? `list:${item}` : null;
  }
  return null;
}

describe('sandbox expandable fields', () => {
  it('should equal the x-expandableFields of every schema in the OpenAPI subset', () => {
    const spec = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
      components: { schemas: Record<string, Schema> };
    };
    const expected: Record<string, Record<string, string | null>> = {};
    for (const [name, schema] of Object.entries(spec.components.schemas)) {
      const fields = schema['x-expandableFields'] ?? [];
      if (fields.length === 0) continue;
      expected[name] = Object.fromEntries(fields.map((f) => [f, target(schema.properties?.[f])]));
    }
    expect(EXPANDABLE_FIELDS).toEqual(expected);
    // The fields the gateway plans with are there.
    expect(EXPANDABLE_FIELDS['financial_connections.account']).toMatchObject({
      account_holder: 'bank_connections_resource_accountholder',
      ownership: 'financial_connections.account_ownership',
    });
    expect(EXPANDABLE_FIELDS.bank_connections_resource_accountholder.customer).toBe('customer');
  });
});
