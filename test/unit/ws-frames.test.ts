// Subscription fan-out (src/transport/ws/ws-frames.ts): one serialization per result, the same text on every socket.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { WebSocket, WebSocketServer } from 'ws';
import { createSharedFrames } from '../../src/transport/ws/ws-frames';

/** Sockets of a fake server: what each one was asked to send. */
function fakeServer(count: number) {
  const wss = new EventEmitter();
  const sent: unknown[][] = Array.from({ length: count }, () => []);
  const sockets = sent.map((out) => ({
    readyState: 1,
    OPEN: 1,
    // A send with options (the direct sender's) is kept with them.
    send: (data: unknown, options?: unknown) => out.push(options === undefined ? data : [data, options]),
  }));
  return { wss, sent, sockets, connect: () => sockets.forEach((s) => wss.emit('connection', s)) };
}

/** What graphql-ws does with an `onNext` replacement: stringify the message, then send it. */
const graphqlWsNext = (socket: { send: (d: unknown) => void }, id: string, payload: object) =>
  socket.send(JSON.stringify({ id, type: 'next', payload }));

/**
 * Frames attached to a fake server of `count` connected sockets, and a result (with text that needs escaping, and
 * non-ASCII) that counts how often it is serialized.
 */
function attachedWithResult(count: number) {
  const frames = createSharedFrames();
  const server = fakeServer(count);
  frames.attach(server.wss as unknown as WebSocketServer);
  server.connect();
  let serialized = 0;
  const result = {
    data: { financialAccountRefreshed: { id: 'fca_1', note: 'quote " and \\ and \u2028 and é' } },
    toJSON() {
      serialized += 1;
      return { data: this.data };
    },
  };
  return { frames, server, result, serializations: () => serialized };
}

describe('shared subscription frames', () => {
  it('serializes a result once and sends every socket the same payload under its own id', () => {
    const { frames, server, result, serializations } = attachedWithResult(3);
    server.sockets.forEach((s, i) => graphqlWsNext(s, String(i + 1), frames.payloadFor(result)));
    expect(serializations()).toBe(1);
    server.sent.forEach((out, i) => {
      expect(out).toHaveLength(1);
      expect(JSON.parse(out[0] as string)).toEqual({
        id: String(i + 1),
        type: 'next',
        payload: { data: result.data },
      });
    });
  });

  it('leaves every other message as graphql-ws wrote it', () => {
    const frames = createSharedFrames();
    const server = fakeServer(1);
    frames.attach(server.wss as unknown as WebSocketServer);
    server.connect();
    const own = JSON.stringify({ id: '1', type: 'next', payload: { data: { x: 'fcgw-frame-guess' } } });
    server.sockets[0].send(own);
    server.sockets[0].send(JSON.stringify({ type: 'connection_ack' }));
    expect(server.sent[0]).toEqual([own, '{"type":"connection_ack"}']);
  });

  it("sends a result straight to each socket as graphql-ws would word it, under the socket's own (UUID) id", () => {
    const { frames, server, result, serializations } = attachedWithResult(3);
    const ids = [randomUUID(), randomUUID(), 'a "quoted" id'];
    const senders = server.sockets.map((s, i) => frames.nextSender(s as unknown as WebSocket, ids[i]));
    senders.forEach((send) => expect(send(result)).toBe(true));
    expect(serializations()).toBe(1);
    server.sent.forEach((out, i) => {
      expect(out).toHaveLength(1);
      const [data, options] = out[0] as [Buffer, { binary: boolean }];
      expect(options).toEqual({ binary: false });
      expect(data.toString('utf8')).toBe(
        JSON.stringify({ id: ids[i], type: 'next', payload: { data: result.data } }),
      );
    });
  });

  it('sends nothing to a socket that is no longer open', () => {
    const frames = createSharedFrames();
    const server = fakeServer(1);
    frames.attach(server.wss as unknown as WebSocketServer);
    server.connect();
    const send = frames.nextSender(server.sockets[0] as unknown as WebSocket, '1');
    server.sockets[0].readyState = 3;
    expect(send({ data: { x: 1 } })).toBe(false);
    expect(server.sent[0]).toEqual([]);
  });
});
