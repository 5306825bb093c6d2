// Turns stored records into the JSON Stripe returns (fresh copies, so expanding never touches the store).
import type { Obj, Store } from './store';
import type { FcSession } from './types';

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function renderAccount(store: Store, id: string): Obj | undefined {
  const rec = store.fcAccounts.get(id);
  return rec ? (clone(rec.account) as unknown as Obj) : undefined;
}

export function renderSession(store: Store, session: FcSession): Obj {
  const ids = store.sessionAccounts.get(session.id) ?? [];
  return {
    ...clone(session),
    accounts: {
      object: 'list',
      data: ids.map((id) => renderAccount(store, id)).filter(Boolean),
      has_more: false,
      url: '/v1/financial_connections/accounts',
    },
  };
}

export function renderOwnership(store: Store, ownershipId: string): Obj | undefined {
  const own = store.ownerships.get(ownershipId);
  if (!own) return undefined;
  const rec = store.fcAccounts.get(own.accountId);
  const owners = rec && rec.account.ownership === ownershipId ? rec.owners : [];
  return {
    id: own.id,
    object: 'financial_connections.account_ownership',
    created: own.created,
    owners: {
      object: 'list',
      data: clone(owners),
      has_more: false,
      url: `/v1/financial_connections/accounts/${own.accountId}/owners?ownership=${own.id}`,
    },
  };
}

/** Resolves any expandable id to its rendered object (used by expand.ts). */
export function renderById(store: Store, id: string): Obj | undefined {
  if (id.startsWith('fcaowns_')) return renderOwnership(store, id);
  if (id.startsWith('fcsess_')) {
    const s = store.sessions.get(id);
    return s ? renderSession(store, s) : undefined;
  }
  if (id.startsWith('cus_') && store.deletedCustomers.has(id))
    return { id, object: 'customer', deleted: true };
  const obj = store.lookup(id);
  if (!obj) return undefined;
  return clone(obj);
}
