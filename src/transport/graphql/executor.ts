// Compiled execution for Apollo Server: graphql-jit behind Apollo's gateway interface (`load()` → executor).
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  printSchema,
  visit,
  BREAK,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

export interface JitGatewayOptions {
  /** Compiled operations kept (LRU). @default 1000 */
  maxCompiled?: number;
}

type Runner = (root: unknown, context: unknown, variables: Record<string, unknown> | undefined) => unknown;

/** True when the document asks for `__schema` or `__type`: introspection runs on graphql-js. */
function isIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** One compiled operation: how to run it, and graphql-jit's own serializer when it compiled. */
export interface Compiled {
  run: Runner;
  /** Present when graphql-jit compiled the operation (not for introspection or subscriptions). */
  query?: CompiledQuery;
}

/** Compiled operations by (query hash, operation name), shared by Apollo's executor and the fast lane. */
export interface JitCompiler {
  compiled(queryHash: string, document: DocumentNode, operationName: string | null): Compiled;
  clear(): void;
}

export function createJitCompiler(schema: GraphQLSchema, options: JitGatewayOptions = {}): JitCompiler {
  const cache = new LRUCache<string, Compiled>({ max: options.maxCompiled ?? 1000 });
  return {
    compiled(queryHash, document, operationName) {
      const key = `${queryHash}\u0000${operationName ?? ''}`;
      let entry = cache.get(key);
      if (entry) return entry;
      const op = document.definitions.find(
        (d) =>
          d.kind === 'OperationDefinition' && (operationName === null || d.name?.value === operationName),
      );
      const kind = op && op.kind === 'OperationDefinition' ? op.operation : undefined;
      if (kind === 'subscription' || kind === undefined || isIntrospection(document)) {
        entry = {
          run: (root, context, variables) =>
            execute({
              schema,
              document,
              rootValue: root,
              contextValue: context,
              variableValues: variables,
              operationName,
            }),
        };
      } else {
        const result = compileQuery(schema, document, operationName ?? undefined);
        if (isCompiledQuery(result)) {
          const query = result as CompiledQuery;
          entry = { run: (root, context, variables) => query.query(root, context, variables), query };
        } else {
          const errors = result as ExecutionResult;
          entry = { run: () => errors }; // e.g. an unknown operation name: graphql-js would report the same
        }
      }
      cache.set(key, entry);
      return entry;
    },
    clear: () => cache.clear(),
  };
}

/**
 * Why a "gateway": it is Apollo Server's one supported seam to replace execution while keeping
 * its whole request pipeline — CSRF check, APQ, parsing with its limits, validation with our
 * rules (src/transport/graphql/limits/limits.ts), the parsed-and-validated document cache, plugins, `formatError` masking and
 * HTTP status mapping all still run; only `execute` becomes a query compiled once by graphql-jit
 * and reused (about 1.7× Apollo's own execution, bench/RESULTS.md).
 *
 * What stays on graphql-js: introspection (rare, and graphql-js is the reference for it) and
 * anything that is not a query or mutation. Subscriptions never come here: graphql-ws executes
 * them on the normal schema.
 *
 * Errors: graphql-jit wraps a resolver's throw in a GraphQLError that keeps `originalError` and
 * its `extensions`, so the contract's codes and the masking of unexpected errors are unchanged
 * (test/integration/executor*.test.ts runs the same operations through both paths).
 */
export function createJitGateway(
  schema: GraphQLSchema,
  options: JitGatewayOptions & { compiler?: JitCompiler } = {},
): GatewayInterface {
  const compiler = options.compiler ?? createJitCompiler(schema, options);
  const listeners = new Set<(s: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void>();
  let sdl: string | undefined;
  const runnerFor = (queryHash: string, document: DocumentNode, operationName: string | null): Runner =>
    compiler.compiled(queryHash, document, operationName).run;

  const reference = (
    document: DocumentNode,
    context: unknown,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
  ) => execute({ schema, document, contextValue: context, variableValues: variables, operationName });

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, context, request } = requestContext;
    // No operation resolved (unknown or ambiguous name): graphql-js words the error Apollo expects.
    if (!requestContext.operation)
      return reference(document, context, request.variables, request.operationName);
    const run = runnerFor(requestContext.queryHash, document, requestContext.operationName);
    const result = (await run(undefined, context, request.variables)) as ExecutionResult;
    // Nothing executed (variables that do not coerce): graphql-js's errors carry the variable's
    // AST node, which Apollo needs to answer BAD_USER_INPUT with HTTP 400. No resolver ran, so
    // running the reference is free of side effects.
    if (result.data === undefined && result.errors?.length) {
      return reference(document, context, request.variables, request.operationName);
    }
    return result;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      sdl ??= printSchema(schema);
      for (const l of listeners) l({ apiSchema: schema, coreSupergraphSdl: sdl });
      return { executor };
    },
    async stop() {
      compiler.clear();
    },
  };
}
