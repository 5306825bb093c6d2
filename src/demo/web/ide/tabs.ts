// The IDE's starting tabs, filled when the page loads with what the demo last left in this browser.
import type { Storage } from '@graphiql/toolkit';
import { demoAccountId, demoCustomerId } from '../demo/session';

export type DemoValue = 'customerId' | 'accountId' | 'uniqueKey';

/** One tab as the gateway writes it into the page (src/transport/http/ide-tabs.ts). */
export interface ConfigTab {
  title: string;
  query: string;
  variables?: string;
  demoValues?: Record<string, DemoValue>;
}

export interface StartingTab {
  query: string;
  variables?: string;
}

/** What the demo left in this browser, read now (not when the gateway rendered the page). */
export interface DemoIds {
  customerId?: string;
  accountId?: string;
}

export function currentDemoIds(): DemoIds {
  return { customerId: demoCustomerId(), accountId: demoAccountId() };
}

const NEEDS_LINK = [
  '# This example needs an account linked in this browser:',
  '# open /demo, link an account, then reload this page.',
];

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) {
    if (!at[k] || typeof at[k] !== 'object') at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

/**
 * A tab's query and variables with the demo's ids filled in. When the demo left none, the variables keep their empty
 * placeholders and the query opens with a comment saying what to do first.
 */
export function startingTab(tab: ConfigTab, ids: DemoIds, uniqueKey: () => string): StartingTab {
  if (!tab.demoValues || !tab.variables) return { query: tab.query, variables: tab.variables };
  let vars: Record<string, unknown>;
  try {
    vars = JSON.parse(tab.variables) as Record<string, unknown>;
  } catch {
    return { query: tab.query, variables: tab.variables };
  }
  let missing = false;
  for (const [where, what] of Object.entries(tab.demoValues)) {
    const value = what === 'uniqueKey' ? uniqueKey() : ids[what];
    if (value) setPath(vars, where, value);
    else missing = true;
  }
  return {
    query: missing ? [...NEEDS_LINK, tab.query].join('\n') : tab.query,
    variables: JSON.stringify(vars, null, 2),
  };
}

/**
 * GraphiQL's storage: theme and panel sizes persist in localStorage, the tabs do not. Why: GraphiQL restores stored
 * tabs instead of the page's starting ones, which would keep the ids of an account linked before the last one.
 */
export function tabsNotPersisted(): Storage {
  const memory = new Map<string, string>();
  const inMemory = (key: string) => /^graphiql:(tabState|query|variables|headers)$/.test(key);
  return {
    get length() {
      return localStorage.length + memory.size;
    },
    clear: () => memory.clear(),
    getItem: (key: string) => (inMemory(key) ? (memory.get(key) ?? null) : localStorage.getItem(key)),
    setItem: (key: string, value: string) =>
      inMemory(key) ? void memory.set(key, value) : localStorage.setItem(key, value),
    removeItem: (key: string) => (inMemory(key) ? void memory.delete(key) : localStorage.removeItem(key)),
  };
}
