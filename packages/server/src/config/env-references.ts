import { configProblem } from './config-problem.js';

/** `${NAME}`: an environment variable's name as POSIX shells spell it. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A string of the config, with whether any of it was written in the file itself rather than taken from the environment. */
export interface ResolvedString {
  value: string;
  /** True when some of the value stood literally in the file (not wholly a `${NAME}` reference). */
  literal: boolean;
}

/**
 * Replaces each `${NAME}` in `raw` with that environment variable. A missing or empty variable is an error
 * naming the field and the variable (never a value), so a typo fails at start rather than as `invalid_client`.
 * `$${` stands for a literal `${`.
 */
export function resolveEnvReferences(raw: string, path: string, env: NodeJS.ProcessEnv): ResolvedString {
  let references = 0;
  const escaped = raw.split('$${');
  const value = escaped
    .map((part) =>
      part.replace(REFERENCE, (_match, name: string) => {
        references += 1;
        const found = env[name];
        if (found === undefined || found === '') throw configProblem(path, `environment variable ${name} is not set`);
        return found;
      }),
    )
    .join('${');
  const wholly = references === 1 && escaped.length === 1 && /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(raw);
  return { value, literal: !wholly };
}
