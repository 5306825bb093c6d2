// Sync cursors: the state of one client's transaction sync, sealed (AES-256-GCM) and bound to one account.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { badInput } from '../../platform/errors';

/**
 * Where a client's copy of an account's transactions stands. Short keys: it travels in every sync.
 * - `w`: the transaction refresh (`fctxnref_…`) whose changes the client has (null: none delivered yet);
 *   `wt`: its `last_attempted_at` (arrivals transacted later are `added`, earlier ones `modified`).
 * - `d`: a full listing was delivered while the refresh was pending (its predecessor unknown): the next
 *   pass re-lists everything as `modified` (see transaction-sync.service.ts).
 * - `p`: a pass in progress (more pages): its target refresh `t`/`tt`, Stripe's `starting_after` `s`,
 *   and `f` when it is a full listing rather than `transaction_refresh[after]=w`.
 */
export interface SyncState {
  w: string | null;
  wt: number | null;
  d?: 1;
  p?: { t: string | null; tt: number | null; s: string | null; f: 0 | 1 };
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Why encrypted and not only signed: the cursor is opaque to clients (they cannot build or edit one),
 * and the account id in the associated data means a cursor of account A fails authentication on B.
 * The key is derived from a secret every instance shares, so cursors survive restarts and move between
 * instances.
 */
export class SyncCursorCodec {
  private readonly key: Buffer;
  /** Opens cursors sealed before a rotation of TOKEN_SECRET (TOKEN_SECRET_PREVIOUS); never seals. */
  private readonly previousKey?: Buffer;

  /**
   * @param secret shared by every instance (TOKEN_SECRET, else the Stripe key); absent: per process.
   * @param previousSecret the secret before a rotation: cursors it sealed still open, new ones use `secret`.
   */
  constructor(secret?: string, previousSecret?: string) {
    this.key = secret ? deriveKey(secret) : randomBytes(32);
    if (previousSecret) this.previousKey = deriveKey(previousSecret);
  }

  encode(accountId: string, state: SyncState): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}:${accountId}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** @throws BAD_USER_INPUT for anything this gateway did not issue for `accountId`. */
  decode(accountId: string, cursor: string): SyncState {
    const invalid = () => badInput('cursor is not a transactionUpdates cursor of this account.', 'cursor');
    if (cursor.length > 4096 || !cursor.startsWith(`${VERSION}.`)) throw invalid();
    const raw = Buffer.from(cursor.slice(VERSION.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2) throw invalid();
    const text =
      open(this.key, accountId, raw) ?? (this.previousKey && open(this.previousKey, accountId, raw));
    if (text === undefined) throw invalid();
    try {
      return JSON.parse(text) as SyncState;
    } catch {
      throw invalid();
    }
  }
}

const deriveKey = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'fcgw', 'transaction sync cursor v1', 32));

/** The cursor's plaintext, or undefined when `key` did not seal it for `accountId`. */
function open(key: Buffer, accountId: string, raw: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${VERSION}:${accountId}`));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}
