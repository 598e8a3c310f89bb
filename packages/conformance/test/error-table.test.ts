/**
 * Each spec's `x-token-set` error table, replayed: every row's `replay` answer is sent by the vendor's fake, and
 * the client must give the code the row names — so the table rendered into the docs is what the code does. Rows
 * are read from `specs/<vendor>.yaml` for every discovered vendor; a row without a replay fails.
 */
import { describe, expect, it } from 'vitest';
import { TokenError } from '@token-clients/core';
import { loadErrorTable, type ErrorReplay as Replay, type Fault } from '@token-clients/testkit';
import { VENDORS } from './vendors.js';

function rows(vendor: string) {
  return loadErrorTable(vendor).map((row, index) => ({ ...row, name: `row ${index + 1}: ${row.status ?? 'any'} → ${row.code}` }));
}

/** Whether `status` is one the row's `status` names (`400`, `4xx`, `401, 403`, `any`, or nothing). */
function covers(pattern: string | number | undefined, status: number): boolean {
  if (pattern === undefined || pattern === 'any') return true;
  // YAML reads `status: 401` as a number.
  return String(pattern).split(',').some((part) => new RegExp(`^${part.trim().replace(/x/g, '\\d')}$`).test(String(status)));
}

function fault(replay: Replay): Fault {
  if (replay.redirect !== undefined) return { type: 'redirect', status: replay.redirect, to: 'http://localhost:9' };
  return { type: 'answer', status: replay.status ?? 200, json: replay.json, body: replay.body, contentType: replay.contentType };
}

describe.each(VENDORS)('$vendor', ({ vendor, start }) => {
  it.each(rows(vendor))('$name', async (row) => {
    expect(row.replay, `specs/${vendor}.yaml: error row "${row.when.trim().slice(0, 60)}…" has no replay`).toBeDefined();
    const replay = row.replay!;
    expect(covers(row.status, replay.redirect ?? replay.status ?? 200), `the replay's status is not one the row names (${row.status})`).toBe(true);
    const now = () => Date.UTC(2026, 10, 22, 8, 0, 0);
    const session = await start(now);
    try {
      const send = await session.prepare(replay.grant);
      session.fake.inject(fault(replay), 1);
      const error = await send().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error, `${vendor}: the replay of "${row.when.trim().slice(0, 60)}…" did not fail`).toBeInstanceOf(TokenError);
      expect((error as TokenError).code).toBe(row.code);
    } finally {
      await session.fake.close();
    }
  });
});
