// Subscription fan-out (src/transport/ws/ws-frames.ts): one serialization per result, the same text on every socket.
import { EventEmitter } from 'node:events';
import type { WebSocketServer } from 'ws';
import { createSharedFrames } from '../../src/transport/ws/ws-frames';

/** Sockets of a fake server: what each one was asked to send. */
function fakeServer(count: number) {
  const wss = new EventEmitter();
  const sent: unknown[][] = Array.from({ length: count }, () => []);
  const sockets = sent.map((out) => ({ send: (data: unknown) => out.push(data) }));
  return { wss, sent, sockets, connect: () => sockets.forEach((s) => wss.emit('connection', s)) };
}

/** What graphql-ws does with an `onNext` replacement: stringify the message, then send it. */
const graphqlWsNext = (socket: { send: (d: unknown) => void }, id: string, payload: object) =>
  socket.send(JSON.stringify({ id, type: 'next', payload }));

describe('shared subscription frames', () => {
  it('serializes a result once and sends every socket the same payload under its own id', () => {
    const frames = createSharedFrames();
    const server = fakeServer(3);
    frames.attach(server.wss as unknown as WebSocketServer);
    server.connect();
    let serialized = 0;
    const result = {
      data: { financialAccountRefreshed: { id: 'fca_1', note: 'quote " and \\ and \u2028' } },
      toJSON() {
        serialized += 1;
        return { data: this.data };
      },
    };
    server.sockets.forEach((s, i) => graphqlWsNext(s, String(i + 1), frames.payloadFor(result)));
    expect(serialized).toBe(1);
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
});
