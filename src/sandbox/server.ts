// The embedded Stripe-compatible sandbox: the route table only. Imports nothing from the gateway.
import Fastify, { type FastifyInstance } from 'fastify';

export interface SandboxOptions {
  /** 0 picks a free port. @default 12111 */
  port?: number;
  host?: string;
}

export interface Sandbox {
  readonly http: FastifyInstance;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The test secret key the sandbox prints; any `sk_test_…` key is accepted. */
export const SANDBOX_SECRET_KEY = 'sk_test_sandbox';

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const http = Fastify({ logger: false });
  http.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}).`,
      },
    });
  });
  return {
    http,
    async listen() {
      await http.listen({ port: options.port ?? 12111, host: options.host ?? '127.0.0.1' });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      return `http://127.0.0.1:${port}`;
    },
    close: () => http.close(),
  };
}
