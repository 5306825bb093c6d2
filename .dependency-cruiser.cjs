// The gateway's layers, checked by `npm run lint` (dependency-cruiser). Imports flow one way:
//   src/main.ts → src/app.ts → src/transport → src/resolvers → src/services/domain → src/services/stripe
// with live updates (src/services/live) below the services that use them and src/platform (config, logger,
// errors, metrics, Redis connection) below everything. The embedded sandbox (src/sandbox) and the gateway never
// import each other: only src/main.ts starts both. Type-only imports count, so the graph has no cycle at all.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle, even type-only, is one value import away from a load-order bug in decorated types.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'services-not-above',
      severity: 'error',
      comment:
        'Services own Stripe; they never reach up into resolvers, the GraphQL context, transport or the app.',
      from: { path: '^src/services/' },
      to: { path: '^src/(resolvers|transport|demo)/|^src/(context|app|main|schema)\\.ts$' },
    },
    {
      name: 'resolvers-not-above',
      severity: 'error',
      comment: 'Resolvers are called by transport; they do not import it.',
      from: { path: '^src/resolvers/' },
      to: { path: '^src/(transport|demo)/|^src/(app|main)\\.ts$' },
    },
    {
      name: 'resolvers-call-domain-only',
      severity: 'error',
      comment:
        'Resolvers check arguments and who may see what, then call a domain service (src/services/domain/); they ' +
        'never reach the Stripe client, loaders, read cache or writes (services/stripe/), live updates, auth or ' +
        "partner webhooks, nor the 'stripe' package, type-only imports included. What they need of those, domain " +
        'hands out: Stripe object types for the *.type.ts mappers (domain/stripe-types.ts), pure id and paging ' +
        'readers (domain/stripe-readers.ts), the names of the process-wide services (domain/shared-services.ts). ' +
        'Why a domain re-export rather than an exception for type-only imports: an exception by import kind would ' +
        "also let a resolver name the client's type and so take one as a parameter; a re-export is a list domain " +
        'keeps, and each new name a resolver needs is a reviewed line there.',
      from: { path: '^src/resolvers/' },
      to: { path: '^src/services/(?!domain/)|(^|/)node_modules/stripe/' },
    },
    {
      name: 'stripe-access-at-the-bottom',
      severity: 'error',
      comment: 'The Stripe client, read store and loaders know nothing of domain services or live updates.',
      from: { path: '^src/services/stripe/' },
      to: { path: '^src/services/(?!stripe/)' },
    },
    {
      name: 'live-updates-below-domain',
      severity: 'error',
      comment: 'Webhooks, poller and pubsub serve the domain services and transport; they do not call them.',
      from: { path: '^src/services/live/' },
      to: { path: '^src/services/domain/' },
    },
    {
      name: 'platform-at-the-bottom',
      severity: 'error',
      comment: 'Config, logging, errors, metrics and Redis are used by every layer and import none of them.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(?!platform/)' },
    },
    {
      name: 'redis-and-queues-from-platform',
      severity: 'error',
      comment:
        'Redis connections are opened by role in src/platform/redis/ and jobs run on src/platform/jobs/; elsewhere ioredis is a type only.',
      from: { path: '^src/', pathNot: '^src/(platform/(redis|jobs)/|sandbox/)' },
      to: { path: 'node_modules/(ioredis|bullmq)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sandbox-stands-alone',
      severity: 'error',
      comment: 'The sandbox is a Stripe-compatible API: it must not depend on the gateway it serves.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/(?!sandbox/)' },
    },
    {
      name: 'gateway-does-not-know-the-sandbox',
      severity: 'error',
      comment:
        'The gateway talks to the sandbox only over HTTP, exactly as to Stripe; src/main.ts alone starts both.',
      from: { path: '^src/', pathNot: '^src/(sandbox/|main\\.ts$)' },
      to: { path: '^src/sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/demo/web/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
