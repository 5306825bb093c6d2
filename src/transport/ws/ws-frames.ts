// Subscription fan-out: each distinct result is serialized once per event, and every socket sends that same text.
import { randomBytes } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Why this seam: graphql-ws serializes every `next` message per socket (`JSON.stringify` of the whole
 * `{ id, type, payload }`), so a thousand sockets sharing one execution (subscription-execution.ts) cost a
 * thousand serializations of the same result — the largest item of the gateway's CPU in bench/subscriptions.ts.
 * graphql-ws lets `onNext` replace the payload and then stringifies and sends synchronously; so `onNext` hands it
 * a stand-in whose JSON is a per-process random token, and the socket's `send` puts the result's text (made
 * once per result object) in the token's place. A client cannot forge the token: it never leaves the process, and
 * only a stand-in's payload is a bare string.
 */
export interface SharedFrames {
  /** Wraps the `send` of every socket `wss` accepts; call before graphql-ws's own connection handler. */
  attach(wss: WebSocketServer): void;
  /** The payload graphql-ws should send for an error-free `result` (errors are masked per socket instead). */
  payloadFor(result: ExecutionResult): object;
  /**
   * Sends subscription `id`'s error-free results as its `next` messages straight to `socket`, exactly as graphql-ws
   * would word them; the sender returns false (nothing sent) when the socket is not open.
   */
  nextSender(socket: WebSocket, id: string): (result: ExecutionResult) => boolean;
}

/** `ws`'s options for a Buffer sent as a text frame (one object for every send). */
const TEXT_FRAME = { binary: false } as const;
const MESSAGE_END = Buffer.from('}');

export function createSharedFrames(): SharedFrames {
  const token = `fcgw-frame-${randomBytes(12).toString('hex')}`;
  const quoted = `"${token}"`;
  const texts = new WeakMap<object, string>();
  const payloads = new WeakMap<object, Buffer>();
  /** Each socket's own `send`, before attach() wrapped it: direct sends have no stand-in to replace. */
  const unwrapped = new WeakMap<WebSocket, (data: Buffer, options: typeof TEXT_FRAME) => void>();
  /** The text of the stand-in stringified last: graphql-ws sends right after stringifying, nothing runs between. */
  let pending: string | undefined;

  const textOf = (result: ExecutionResult) => {
    let text = texts.get(result);
    if (text === undefined) texts.set(result, (text = JSON.stringify(result)));
    return text;
  };

  /** A result's JSON as UTF-8, encoded once however many sockets send it. */
  const payloadOf = (result: ExecutionResult) => {
    let payload = payloads.get(result);
    if (payload === undefined) payloads.set(result, (payload = Buffer.from(textOf(result))));
    return payload;
  };

  const withPayload = (data: unknown): unknown => {
    if (pending === undefined || typeof data !== 'string' || !data.endsWith(`${quoted}}`)) return data;
    const text = pending;
    pending = undefined;
    return `${data.slice(0, data.length - quoted.length - 1)}${text}}`;
  };

  return {
    attach(wss) {
      wss.on('connection', (socket: WebSocket) => {
        const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
        unwrapped.set(socket, send);
        (socket as { send: unknown }).send = (data: unknown, ...rest: unknown[]) =>
          send(withPayload(data), ...rest);
      });
    },
    nextSender(socket, id) {
      // graphql-ws's wording, `{"id":…,"type":"next","payload":…}`, split around the payload: the id's part is
      // encoded once per subscription, the payload once per result, and each send only copies the three together.
      // Why not one buffer per result and id: clients name subscriptions with UUIDs (graphql-ws's default), so
      // every socket's frame differs, and encoding the whole text per socket was most of a push's cost.
      const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
      const send = unwrapped.get(socket) ?? ((data, options) => socket.send(data, options));
      return (result) => {
        if (socket.readyState !== socket.OPEN) return false;
        const payload = payloadOf(result);
        send(Buffer.concat([head, payload, MESSAGE_END], head.length + payload.length + 1), TEXT_FRAME);
        return true;
      };
    },
    payloadFor(result) {
      return {
        toJSON() {
          pending = textOf(result);
          return token;
        },
      };
    },
  };
}
