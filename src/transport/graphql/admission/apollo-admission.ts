// The admission step inside Apollo Server: its context (authentication, rate limit) and a plugin (operation checks).
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../../../context';
import type { Admission } from './admission';

/** Apollo Server options that belong to admission: persisted queries, the parse and validation limits. */
export function apolloAdmissionOptions(admission: Admission) {
  return {
    // Automatic Persisted Queries in admission's store (persisted-queries.ts), read by every path.
    persistedQueries: admission.persistedQueries.apolloOption,
    // The query limits (src/transport/graphql/limits/limits.ts), the same ones graphql-ws applies.
    parseOptions: { maxTokens: admission.limits.maxTokens },
    validationRules: admission.validationRules,
  } satisfies Partial<ApolloServerOptions<GatewayContext>>;
}

/**
 * Apollo plugin: step 5 of admission.ts, after validation (so `first: $n` uses the request's variables) and before
 * execution (so a refused operation makes no Stripe request). Answers HTTP 400 with the check's error.
 */
export function admissionPlugin(admission: Admission): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          const refused = admission
            .operation(document, operation)
            .refusal(request.variables, contextValue.caller);
          if (refused) throw refused;
        },
      };
    },
  };
}
