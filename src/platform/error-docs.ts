// Renders docs/errors.md from the error catalogue (error-catalogue.ts): the page is code, never edited by hand.
import {
  ERROR_CODES,
  type CodeEntry,
  ERROR_REASONS,
  EXTENSION_KEYS,
  WS_CLOSE_CODES,
  type RetryRule,
} from './error-catalogue';

const RETRY: Record<RetryRule, string> = {
  no: 'no (change the request first)',
  'after retryAfter': 'yes, after `retryAfter` seconds',
  'with backoff': 'yes, with exponential backoff',
  later: 'later: once the state on Stripe\u2019s side changed',
};

/** Table cells: pipes escaped, one line. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
const codeList = (keys: readonly string[]) =>
  keys.length ? keys.map((k) => `\`${k}\``).join(', ') : '\u2014';

/**
 * The whole page but its markers (src/docs/pages.ts puts it between them).
 * @param codes the catalogue's codes (a test plants others to see the drift check fail)
 */
export function renderErrorDocs(codes: readonly CodeEntry[] = ERROR_CODES): string {
  const lines: string[] = [
    '# Errors',
    '',
    'Every GraphQL error the gateway answers with carries `extensions.code` (one of the codes below) and',
    '`extensions.requestId`. Messages are for people; clients branch on `code` and `reason`. Over HTTP the status is',
    'the one in the table (several errors in one answer: the first that set one); over graphql-ws errors arrive in',
    '`error` or `next` messages without a status, and the connection itself is refused or ended with a close code.',
    '',
    '## Codes',
    '',
    row(['code', 'HTTP status', 'retry', 'extensions', 'meaning']),
    row(['---', '---', '---', '---', '---']),
    ...codes.map((e) =>
      row([`\`${e.code}\``, e.httpStatus, RETRY[e.retry], codeList(e.extensions), e.description]),
    ),
    '',
    '## Reasons',
    '',
    '`extensions.reason` says what exactly went wrong under a code.',
    '',
    row(['reason', 'code', 'retry', 'meaning']),
    row(['---', '---', '---', '---']),
    ...ERROR_REASONS.map((r) => row([`\`${r.reason}\``, `\`${r.code}\``, RETRY[r.retry], r.description])),
    '',
    '## Extensions',
    '',
    row(['key', 'meaning']),
    row(['---', '---']),
    ...Object.entries(EXTENSION_KEYS).map(([key, meaning]) => row([`\`${key}\``, meaning])),
    '',
    '## WebSocket close codes',
    '',
    'graphql-ws (`graphql-transport-ws` protocol) at `/graphql`. "Client retries" is what graphql-ws\u2019s own',
    '`createClient` does by default (its `retryAttempts` still bound it).',
    '',
    row(['close code', 'reason text', 'client retries', 'meaning']),
    row(['---', '---', '---', '---']),
    ...WS_CLOSE_CODES.map((c) =>
      row([String(c.code), c.reason, c.clientRetries ? 'yes' : 'no (fatal)', c.description]),
    ),
  ];
  return lines.join('\n');
}
