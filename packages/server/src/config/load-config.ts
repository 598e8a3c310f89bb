import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { configProblem } from './config-problem.js';
import type { ServiceConfig } from './service-config.js';
import { validateConfig } from './validate-config.js';

/**
 * Reads and validates the service's config file: JSON when it ends in `.json`, YAML otherwise (YAML is a
 * superset of JSON). Every mistake is an `invalid_configuration` `TokenError` naming the file or the field.
 */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ServiceConfig> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([readFile(file, 'utf8'), stat(file).then((info) => info.mode)]);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw configProblem(file, `${reason}: pass --config <file> with the service's config (JSON or YAML)`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    // Only where the mistake is: parsers quote the text around it, and that text may be a secret.
    const message = error instanceof Error ? whereItFailed(error.message) : 'unreadable';
    throw configProblem(file, `is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${message}`);
  }
  // Group and others without read permission: only the owner (and root) can see a literal secret in it.
  return validateConfig(raw, { file, ownerOnly: (mode & 0o077) === 0 }, env);
}

/** The position in a parser's message (`at line 3, column 5`, `at position 17`), without the quoted text. */
function whereItFailed(message: string): string {
  const line = /line (\d+), column (\d+)/.exec(message);
  if (line) return `at line ${line[1]}, column ${line[2]}`;
  const position = /position (\d+)/.exec(message);
  return position ? `at character ${position[1]}` : 'it cannot be parsed';
}
