// The emitted schema (committed file and the schema built under the test transform) contains the whole contract.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema as buildSdl,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  print,
  astFromValue,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema } from '../../src/schema';

// The in-repo copy of ../shared/design/schema-contract.graphql (CI clones only this repository).
const CONTRACT_PATH = path.resolve(__dirname, '../../schema/contract/schema-contract.graphql');
const EMITTED_PATH = path.resolve(__dirname, '../../schema/schema.graphql');

const contract = buildSdl(readFileSync(CONTRACT_PATH, 'utf8'));

/** A printable default value, so `= [TRANSACTIONS]` and `= "usd"` compare exactly. */
function defaultOf(x: GraphQLArgument | GraphQLInputField): string | undefined {
  if (x.defaultValue === undefined) return undefined;
  const ast = astFromValue(x.defaultValue, x.type);
  return ast ? print(ast) : undefined;
}

/** Every difference between the contract's `expected` type and the schema's `actual` type. */
function missingIn(expected: GraphQLNamedType, actual: GraphQLNamedType | undefined | null): string[] {
  const name = expected.name;
  if (!actual) return [`type ${name} is missing`];
  const problems: string[] = [];
  const kind = (t: GraphQLNamedType) =>
    isObjectType(t)
      ? 'object'
      : isInterfaceType(t)
        ? 'interface'
        : isInputObjectType(t)
          ? 'input'
          : isEnumType(t)
            ? 'enum'
            : isScalarType(t)
              ? 'scalar'
              : isUnionType(t)
                ? 'union'
                : '?';
  if (kind(expected) !== kind(actual))
    return [`${name} is a ${kind(actual)}, contract says ${kind(expected)}`];

  if (isObjectType(expected) || isInterfaceType(expected)) {
    const a = actual as typeof expected;
    for (const iface of expected.getInterfaces()) {
      if (!a.getInterfaces().some((i) => i.name === iface.name))
        problems.push(`${name} must implement ${iface.name}`);
    }
    const actualFields = a.getFields();
    for (const [fname, field] of Object.entries(expected.getFields())) {
      const af = actualFields[fname];
      if (!af) {
        problems.push(`${name}.${fname} is missing`);
        continue;
      }
      if (String(af.type) !== String(field.type)) {
        problems.push(`${name}.${fname} is ${String(af.type)}, contract says ${String(field.type)}`);
      }
      for (const arg of field.args) {
        const aa = af.args.find((x) => x.name === arg.name);
        if (!aa) problems.push(`${name}.${fname}(${arg.name}) is missing`);
        else if (String(aa.type) !== String(arg.type)) {
          problems.push(
            `${name}.${fname}(${arg.name}) is ${String(aa.type)}, contract says ${String(arg.type)}`,
          );
        } else if (defaultOf(aa) !== defaultOf(arg)) {
          problems.push(
            `${name}.${fname}(${arg.name}) defaults to ${defaultOf(aa)}, contract says ${defaultOf(arg)}`,
          );
        }
      }
      // A new argument the contract lacks must not be required, or existing clients break.
      for (const aa of af.args) {
        if (
          !field.args.some((x) => x.name === aa.name) &&
          String(aa.type).endsWith('!') &&
          aa.defaultValue === undefined
        ) {
          problems.push(`${name}.${fname}(${aa.name}) is required but not in the contract`);
        }
      }
    }
  } else if (isInputObjectType(expected)) {
    const actualFields = (actual as typeof expected).getFields();
    for (const [fname, field] of Object.entries(expected.getFields())) {
      const af = actualFields[fname];
      // An input field the contract requires may become optional (every existing client still sends it, and
      // the gateway names what is missing), e.g. financialAccountId beside paymentMethodId; never the reverse.
      const loosened = String(field.type) === `${String(af?.type)}!`;
      if (!af) problems.push(`${name}.${fname} is missing`);
      else if (String(af.type) !== String(field.type) && !loosened) {
        problems.push(`${name}.${fname} is ${String(af.type)}, contract says ${String(field.type)}`);
      } else if (defaultOf(af) !== defaultOf(field)) {
        problems.push(`${name}.${fname} defaults to ${defaultOf(af)}, contract says ${defaultOf(field)}`);
      }
    }
    for (const [fname, af] of Object.entries(actualFields)) {
      if (!expected.getFields()[fname] && String(af.type).endsWith('!') && af.defaultValue === undefined) {
        problems.push(`${name}.${fname} is required but not in the contract`);
      }
    }
  } else if (isEnumType(expected)) {
    const values = new Set((actual as typeof expected).getValues().map((v) => v.name));
    for (const v of expected.getValues())
      if (!values.has(v.name)) problems.push(`${name}.${v.name} is missing`);
  }
  return problems;
}

const contractTypes = Object.values(contract.getTypeMap()).filter((t) => !t.name.startsWith('__'));

function suite(label: string, getSchema: () => GraphQLSchema) {
  describe(label, () => {
    it.each(contractTypes.map((t) => [t.name, t] as const))(
      'should contain contract type %s exactly',
      (_n, t) => {
        expect(missingIn(t, getSchema().getType(t.name))).toEqual([]);
      },
    );

    it('should use the contract root type names', () => {
      expect(getSchema().getQueryType()?.name).toBe('Query');
      expect(getSchema().getMutationType()?.name).toBe('Mutation');
    });

    it('should never expose a clientSecret on FinancialConnectionsSession', () => {
      const session = getSchema().getType('FinancialConnectionsSession');
      expect(isObjectType(session) && Object.keys(session.getFields())).not.toContain('clientSecret');
    });
  });
}

describe('schema contract', () => {
  let built: GraphQLSchema;
  beforeAll(async () => {
    built = await buildGatewaySchema();
  });

  suite('schema/schema.graphql (committed, emitted from the tsc build)', () =>
    buildSdl(readFileSync(EMITTED_PATH, 'utf8')),
  );
  suite('buildGatewaySchema() under the test transform', () => built);
});

describe('schema/contract/schema-contract.graphql', () => {
  // Where the design folder sits beside the checkout (developer machines), the copy must not drift from it.
  const designCopy = path.resolve(__dirname, '../../../shared/design/schema-contract.graphql');
  (existsSync(designCopy) ? it : it.skip)(
    'should carry the same SDL as ../shared/design when that exists',
    () => {
      const ours = readFileSync(CONTRACT_PATH, 'utf8').split('\n').slice(2).join('\n');
      expect(ours).toBe(readFileSync(designCopy, 'utf8'));
    },
  );
});
