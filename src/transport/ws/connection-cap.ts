// How many WebSockets each partner holds open on this instance, and the cap (WS_MAX_CONNECTIONS_PER_PARTNER).
import type { WebSocket } from 'ws';
import type { Caller } from '../../services/auth/auth';

/**
 * Close code for a socket refused over its partner's cap: 1013 "Try Again Later", the standard code for a server
 * that cannot take the connection now (RFC 6455 §7.4 registry), so clients back off and retry.
 */
export const CONNECTION_CAP_CLOSE_CODE = 1013;

/**
 * Open sockets per partner, its key's and its customer tokens' together. Why per partner and not per caller: each
 * minted token is a new caller, so a per-caller cap would not bound what one partner holds open. Counted per
 * instance (a socket lives on the instance that accepted it), so N instances hold at most N × the cap.
 */
export class ConnectionCap {
  private readonly open = new Map<string, Set<WebSocket>>();

  constructor(private readonly maxPerPartner: number) {}

  /**
   * Counts `socket` for its caller's partner until it closes.
   * @returns false (nothing counted) when the partner already holds the cap
   */
  admit(socket: WebSocket, caller: Caller): boolean {
    const partnerId = caller.partnerId;
    let held = this.open.get(partnerId);
    if ((held?.size ?? 0) >= this.maxPerPartner) return false;
    if (!held) this.open.set(partnerId, (held = new Set()));
    const sockets = held;
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.open.get(partnerId) === sockets) this.open.delete(partnerId);
    });
    return true;
  }

  /** Sockets `partnerId` holds open on this instance. */
  held(partnerId: string): number {
    return this.open.get(partnerId)?.size ?? 0;
  }

  /**
   * Closes every socket of a partner not in `partnerIds` (its key's and its customers' tokens') with `code`.
   * @returns how many were closed
   */
  closeAllBut(partnerIds: ReadonlySet<string>, code: number, reason: string): number {
    let closed = 0;
    for (const [partnerId, sockets] of this.open) {
      if (partnerIds.has(partnerId)) continue;
      for (const socket of sockets) {
        socket.close(code, reason);
        closed += 1;
      }
    }
    return closed;
  }
}
