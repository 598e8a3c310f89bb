// scripts/check-changeset.mjs on a small git repository shaped like this one: it warns (and only warns) when a
// published package or its spec changed without a changeset naming it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { repoRoot } from './lib/repo-copy.js';

let root: string;

function write(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });

/** Runs the check; returns its exit code and output. */
function check(...args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync(process.execPath, ['scripts/check-changeset.mjs', ...args], { cwd: root, encoding: 'utf8' }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { status: failed.status, output: failed.stdout };
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'token-clients-changeset-'));
  for (const file of ['scripts/check-changeset.mjs', 'scripts/lib/workspace-packages.mjs']) cpSync(join(repoRoot, file), join(root, file));
  write('packages/acme/package.json', JSON.stringify({ name: '@token-clients/acme', version: '0.1.0' }));
  write('packages/acme/src/client.ts', 'export {};\n');
  write('packages/testkit/package.json', JSON.stringify({ name: '@token-clients/testkit', version: '0.0.0', private: true }));
  write('specs/acme.yaml', 'openapi: 3.1.0\n');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('is quiet when nothing published changed', () => {
  write('packages/acme/test/client.test.ts', 'export {};\n');
  write('packages/testkit/src/fake.ts', 'export {};\n');
  const { status, output } = check();
  expect(status).toBe(0);
  expect(output).toContain('changesets: ok');
});

it.each([
  ['a source file', 'packages/acme/src/client.ts'],
  ['a new, untracked file', 'packages/acme/src/new-file.ts'],
  ["the vendor's spec", 'specs/acme.yaml'],
])('warns, without failing, when %s changed without a changeset', (_what, file) => {
  write(file, '// changed\n');
  const { status, output } = check();
  expect(status).toBe(0);
  expect(output).toContain(`WARNING: @token-clients/acme changed (${file})`);
  expect(output).toContain('pnpm changeset');
  expect(check('--strict').status).toBe(1);
});

it('is satisfied by a changeset that names the package', () => {
  write('packages/acme/src/client.ts', '// changed\n');
  write('.changeset/brave-owls-sing.md', "---\n'@token-clients/acme': patch\n---\n\nFixed it.\n");
  const { output } = check('--strict');
  expect(output).not.toContain('WARNING');
  expect(output).toContain('changesets: ok (@token-clients/acme)');
});

it('is not satisfied by a changeset for another package', () => {
  write('packages/acme/src/client.ts', '// changed\n');
  write('.changeset/brave-owls-sing.md', "---\n'@token-clients/core': patch\n---\n\nFixed core.\n");
  expect(check().output).toContain('WARNING: @token-clients/acme changed');
});

it('looks at committed changes since the base branch too', () => {
  write('packages/acme/src/client.ts', '// changed\n');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-am', 'change');
  expect(check().output).toContain('WARNING: @token-clients/acme changed (packages/acme/src/client.ts)');
  expect(check('--base', 'feature').output).toContain('comparing with');
});
