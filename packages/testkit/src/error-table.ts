import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { specPath } from './spec-validator.js';

/** An answer that produces an error row's code, sent by the vendor's fake (see scripts/docs/token-set-extension.mjs). */
export interface ErrorReplay {
  /** The grant to send (`client_credentials`, `refresh_token`, `user-provider`, …); the vendor's usual call when absent. */
  grant?: string;
  status?: number;
  json?: unknown;
  body?: string;
  contentType?: string;
  /** Answer with this redirect status instead. */
  redirect?: 301 | 302 | 303 | 307 | 308;
}

/** One row of a spec's `info.x-token-set.errors` table. */
export interface ErrorRow {
  /** `401`, `401, 403`, `4xx` or `any` (YAML reads a lone status as a number). */
  status?: string | number;
  vendorCode?: string;
  when: string;
  code: string;
  replay?: ErrorReplay;
}

/** The error table of `specs/<vendor>.yaml`, as the docs render it. */
export function loadErrorTable(vendor: string): ErrorRow[] {
  const spec = parse(readFileSync(specPath(vendor), 'utf8')) as { info?: { 'x-token-set'?: { errors?: ErrorRow[] } } };
  return spec.info?.['x-token-set']?.errors ?? [];
}
