import { TokenError } from './token-error.js';

/**
 * Refuses an options object with a key the client does not know, with an `invalid_configuration` error that
 * names the key and the known option it most likely meant (`baseURL` → `baseUrl`). In plain JavaScript a
 * misspelt option is otherwise silently ignored — a misspelt `baseUrl` sends the credentials to the production
 * host. The message names keys only, never values (a value may be a secret).
 *
 * @param where - what was being created, for the message (`create wps client`).
 */
export function refuseUnknownOptions(vendor: string, given: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const likely = nearest(key, known);
    throw new TokenError({
      code: 'invalid_configuration',
      vendor,
      message: `${where}: unknown option "${safeKey(key)}"${likely ? `; did you mean "${likely}"?` : ''} Known options: ${known.join(', ')}.`,
    });
  }
}

/** The known option closest to `key`: the same but for case, else within two edits. */
function nearest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((name) => name.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A key as it may be shown: printable and short (a key is not a secret, but it may be garbage). */
function safeKey(key: string): string {
  const printable = key.replace(/[^\x20-\x7E]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
