// The parts of @token-clients/core's public contract the docs talk about — the `TokenSet` fields and the
// `TokenError` codes — read from core's own source, so the docs can neither drift from it nor accept a
// field or code that does not exist. Read from the .ts source (not dist/) so `pnpm docs` needs no build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ name: string, optional: boolean, doc: string }} TokenSetField
 * @typedef {{ code: string, retryable: boolean, advice: string | undefined }} TokenErrorCodeInfo
 * @typedef {{ fields: TokenSetField[], codes: TokenErrorCodeInfo[] }} CoreContract
 */

/** @param {string} root the repository root @returns {CoreContract} */
export function readCoreContract(root) {
  const src = join(root, 'packages', 'core', 'src');
  return {
    fields: tokenSetFields(read(join(src, 'token-set.ts'))),
    codes: tokenErrorCodes(read(join(src, 'token-error.ts')), readOptional(join(src, 'response-error.ts'))),
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
    throw new Error('could not read the TokenSet fields from packages/core/src/token-set.ts (interface TokenSet with /** doc */ fields)');
  }
  return fields;
}

/** @param {string} source @param {string | undefined} adviceSource */
function tokenErrorCodes(source, adviceSource) {
  const union = /export type TokenErrorCode\s*=([\s\S]*?);/.exec(source)?.[1] ?? '';
  const codes = [...union.matchAll(/'(\w+)'/g)].map((match) => /** @type {string} */ (match[1]));
  const retryableList = /RETRYABLE_CODES[^=]*=\s*new Set\(\[([\s\S]*?)\]\)/.exec(source)?.[1];
  if (codes.length === 0 || retryableList === undefined) {
    throw new Error('could not read TokenErrorCode and RETRYABLE_CODES from packages/core/src/token-error.ts');
  }
  const retryable = new Set([...retryableList.matchAll(/'(\w+)'/g)].map((match) => match[1]));
  const adviceBlock = adviceSource === undefined ? '' : (/const ADVICE[^=]*=\s*\{([\s\S]*?)\n\};/.exec(adviceSource)?.[1] ?? '');
  const advice = new Map([...adviceBlock.matchAll(/^\s*(\w+):\s*'((?:[^'\\]|\\.)*)'/gm)].map((match) => [match[1], match[2]?.replace(/\\'/g, "'")]));
  return codes.map((code) => ({ code, retryable: retryable.has(code), advice: advice.get(code) }));
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

/** @param {string} path */
function readOptional(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
