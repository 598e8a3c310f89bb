// The parts of @token-clients/core's public contract the docs talk about — the `TokenSet` fields and the
// `TokenError` codes — read from core's own source, so the docs can neither drift from it nor accept a
// field or code that does not exist. Read from the .ts source (not dist/) so `pnpm docs` needs no build: the
// codes are imported from their one record (through tsx), the TokenSet fields read from their doc comments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/**
 * @typedef {{ name: string, optional: boolean, doc: string }} TokenSetField
 * @typedef {{ code: string, retryable: boolean, advice: string | undefined }} TokenErrorCodeInfo
 * @typedef {{ fields: TokenSetField[], codes: TokenErrorCodeInfo[] }} CoreContract
 */

/** @param {string} root the repository root @returns {Promise<CoreContract>} */
export async function readCoreContract(root) {
  const src = join(root, 'packages', 'core', 'src');
  /** @type {{ TOKEN_ERROR_CODES: Record<string, { retryable: boolean, advice: string }> }} */
  const { TOKEN_ERROR_CODES } = await tsImport(pathToFileURL(join(src, 'token-error.ts')).href, import.meta.url);
  return {
    fields: tokenSetFields(read(join(src, 'contract.ts'))),
    codes: Object.entries(TOKEN_ERROR_CODES).map(([code, { retryable, advice }]) => ({ code, retryable, advice })),
  };
}

/** @param {string} source */
function tokenSetFields(source) {
  const body = /export interface TokenSet\b[^{]*\{([\s\S]*?)\n\}/.exec(source)?.[1];
  const fields = [...(body ?? '').matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)(\?)?\s*:/g)].map((match) => ({
    name: /** @type {string} */ (match[2]),
    optional: match[3] === '?',
    doc: cleanDoc(/** @type {string} */ (match[1])),
  }));
  if (!fields.some((field) => field.name === 'accessToken')) {
    throw new Error('could not read the TokenSet fields from packages/core/src/contract.ts (interface TokenSet with /** doc */ fields)');
  }
  return fields;
}

/** @param {string} doc */
function cleanDoc(doc) {
  return doc
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter((line) => line.length > 0 && !line.startsWith('@'))
    .join(' ')
    .replace(/\{@link\s+([^}\s]+)[^}]*\}/g, '`$1`');
}

/** @param {string} path */
function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${/** @type {Error} */ (error).message}`);
  }
}
