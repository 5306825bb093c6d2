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
   * Sends an error-free `result` as subscription `id`'s `next` message straight to `socket`, exactly as graphql-ws
   * would word it; false (nothing sent) when the socket is not open.
   */
  sendNext(socket: WebSocket, id: string, result: ExecutionResult): boolean;
}

export function createSharedFrames(): SharedFrames {
  const token = `fcgw-frame-${randomBytes(12).toString('hex')}`;
  const quoted = `"${token}"`;
  const texts = new WeakMap<object, string>();
  const frames = new WeakMap<object, Map<string, Buffer>>();
  /** The text of the stand-in stringified last: graphql-ws sends right after stringifying, nothing runs between. */
  let pending: string | undefined;

  const textOf = (result: ExecutionResult) => {
    let text = texts.get(result);
    if (text === undefined) texts.set(result, (text = JSON.stringify(result)));
    return text;
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
        (socket as { send: unknown }).send = (data: unknown, ...rest: unknown[]) =>
          send(withPayload(data), ...rest);
      });
    },
    sendNext(socket, id, result) {
      if (socket.readyState !== socket.OPEN) return false;
      // One UTF-8 buffer per result and subscription id, sent as a text frame: `ws` would otherwise encode
      // the same string again for every socket.
      let byId = frames.get(result);
      if (!byId) frames.set(result, (byId = new Map()));
      let frame = byId.get(id);
      if (!frame)
        byId.set(
          id,
          (frame = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${textOf(result)}}`)),
        );
      socket.send(frame, { binary: false });
      return true;
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
