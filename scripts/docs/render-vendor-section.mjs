// The Markdown added to a vendor page's `info.description`, so the rendered page answers "what do I install
// and what do I get" on its own: a link back to the index and the spec's x-token-set as tables.
import { oneLine } from './inline-markdown.mjs';

/**
 * @typedef {import('./token-set-extension.mjs').TokenSetMapping} TokenSetMapping
 * @typedef {import('./token-set-extension.mjs').TokenErrorMapping} TokenErrorMapping
 * @typedef {import('./core-contract.mjs').CoreContract} CoreContract
 */

/** The heading of the section, also what the browser test looks for. */
export const SECTION_HEADING = 'Using it from TypeScript';

/** The link back to the index, put first in every vendor page's description. */
export const INDEX_LINK_TEXT = '← All vendors: packages, TokenSet mappings';

/**
 * Failures core raises itself, the same for every vendor (they never reach the vendor's parser).
 * @param {CoreContract} contract
 * @returns {TokenErrorMapping[]}
 */
export function commonErrors(contract) {
  const retryable = (/** @type {string} */ code) => contract.codes.find((info) => info.code === code)?.retryable ?? false;
  return [
    { status: 'none', vendorCode: undefined, when: 'No answer: DNS failure, refused or reset connection.', code: 'network_error', retryable: retryable('network_error') },
    { status: 'none', vendorCode: undefined, when: 'No complete answer within `timeoutMs` (default 10 s), whatever the `fetch` given does with the signal.', code: 'timeout', retryable: retryable('timeout') },
    { status: 'none', vendorCode: undefined, when: "The caller's `AbortSignal` aborted the call.", code: 'aborted', retryable: retryable('aborted') },
  ];
}

/**
 * The description of a vendor page: the back link, the spec's own description, then the TypeScript section
 * (or a plain note that the spec has no x-token-set yet).
 *
 * @param {string | undefined} description the spec's `info.description`
 * @param {TokenSetMapping | undefined} mapping
 * @param {CoreContract} contract
 * @param {boolean} [extensionHasProblems] the spec has an x-token-set, but it could not be read
 */
export function vendorDescription(description, mapping, contract, extensionHasProblems = false) {
  const parts = [`[${INDEX_LINK_TEXT}](index.html)`, (description ?? '').trim()];
  parts.push(`## ${SECTION_HEADING}`);
  if (mapping === undefined) {
    parts.push(
      extensionHasProblems
        ? 'This spec\'s `info.x-token-set` has problems (listed on the [index](index.html)), so how its answers map onto `TokenSet` and `TokenError` is not shown here.'
        : 'This spec has no `info.x-token-set` yet, so how its answers map onto `TokenSet` and `TokenError` is not documented here.',
    );
    return `${parts.filter(Boolean).join('\n\n')}\n`;
  }
  const grants = mapping.grants.length ? ` Grants: ${mapping.grants.map((grant) => `\`${grant}\``).join(', ')}.` : '';
  parts.push(`Install \`${mapping.package}\` (\`npm i ${mapping.package}\`) and create a client with \`${mapping.factory}\`.${grants}`);
  // Lists rather than tables: Redoc's middle column is narrow, and five-column tables wrap every word.
  parts.push(
    list(
      mapping.calls.map(
        (call) =>
          `\`${call.call}\`${call.operation ? ` → \`${call.operation.method.toUpperCase()} ${call.operation.path}\`` : ''}: ${call.description}`,
      ),
    ),
  );
  if (mapping.usage) parts.push(`\`\`\`ts\n${mapping.usage.trimEnd()}\n\`\`\``);
  parts.push('### How an answer becomes a TokenSet');
  parts.push(
    list(
      mapping.fields.map((field) => {
        const note = field.note ?? (field.set ? '' : field.doc);
        return `**\`${field.name}\`** ← ${fromCell(field)}${note ? ` — ${note}` : ''}`;
      }),
    ),
  );
  parts.push('### How a failure becomes a TokenError');
  if (mapping.errorNote) parts.push(mapping.errorNote);
  parts.push(
    list(
      [...mapping.errors, ...commonErrors(contract)].map((error) => {
        const answer = [error.status === undefined ? '' : error.status === 'none' ? 'no answer' : `HTTP ${statusText(error.status)}`, error.vendorCode === undefined ? '' : `\`${error.vendorCode}\``]
          .filter(Boolean)
          .join(', ');
        return `**\`${error.code}\`** (${error.retryable ? 'retryable' : 'not retryable'}) ← ${answer}: ${error.when}`;
      }),
    ),
  );
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}

/** Where a TokenSet field comes from, as Markdown. @param {{ from: string[], value?: string | undefined }} field */
export function fromCell({ from, value }) {
  if (value !== undefined) return `always \`${value}\``;
  if (from.length === 0) return '*not set*';
  return from.map((path) => (path === '$' ? 'the whole body' : `\`${path}\``)).join(', ');
}

/** @param {string | undefined} status */
export function statusText(status) {
  if (status === undefined || status === 'any') return 'any';
  if (status === 'none') return 'no answer';
  return status;
}

/** A Markdown bullet list, one line per item. @param {string[]} items */
function list(items) {
  return items.map((item) => `- ${oneLine(item)}`).join('\n');
}
