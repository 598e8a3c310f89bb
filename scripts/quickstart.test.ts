// `npm run quickstart` on a fresh copy of the repository (nothing installed): it must end in a short summary with
// no warning a user cannot act on, and a spec with a YAML typo must be the first thing it reports.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepo, removeCopy } from './lib/repo-copy.js';

let copy: string;
beforeAll(() => {
  copy = copyRepo('token-clients-quickstart-');
});
afterAll(() => removeCopy(copy));

/** Runs the quick start in the copy as `npm run quickstart` does; resolves with its exit status and output. */
function quickstart(): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, ['scripts/quickstart.mjs'], { cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run quickstart', () => {
  it('installs, builds and renders the docs, and prints a short summary without warnings', () => {
    const { status, stdout, stderr } = quickstart();
    expect(stderr, stdout).toBe('');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length, stdout).toBeLessThanOrEqual(10);
    expect(lines[0]).toMatch(/^token-clients quick start: done in \d+ s$/);
    expect(stdout).toContain('docs/index.html');
    expect(stdout).toMatch(/installed\s+\d+ packages with pnpm/);
    // pnpm's warnings (ignored build scripts, unmet peers) would be repeated as "pnpm said: …".
    expect(stdout).not.toMatch(/pnpm said|WARN|Warning|Ignored build scripts|unmet peer/i);
  }, 600_000);

  it('reports a YAML typo in a spec first, with its place, before anything else', () => {
    const spec = join(copy, 'specs/dushu.yaml');
    const original = readFileSync(spec, 'utf8');
    writeFileSync(spec, original.replace('\npaths:\n', '\npaths:\n  /typo: [unclosed\n'));
    try {
      const { status, stdout, stderr } = quickstart();
      expect(status).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines[0]).toBe('quick start: specs/dushu.yaml does not parse as YAML, so no client can be generated from it:');
      expect(lines[1]).toMatch(/^specs\/dushu\.yaml:\d+:\d+: /);
      expect(stderr).toContain('/typo: [unclosed');
      expect(lines.length).toBeLessThan(30);
    } finally {
      writeFileSync(spec, original);
    }
  }, 300_000);
});
