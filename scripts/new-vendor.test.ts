// `pnpm new-vendor` in a throw-away copy of the repository: the sixth vendor it scaffolds must install, generate,
// build, type-check, lint and pass its tests (and publint/attw) with no other file touched than redocly.yaml.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepo, installCopy, removeCopy, run } from './lib/repo-copy.js';

const VENDOR = 'acme-cloud';
let copy: string;
let before: Map<string, string>;

/** Every file of the copy (outside node_modules, build output and caches) with a hash of its content. */
function files(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir)) {
      if (['node_modules', 'dist', '.turbo'].includes(entry)) continue;
      const path = join(dir, entry);
      const name = prefix ? `${prefix}/${entry}` : entry;
      if (statSync(path).isDirectory()) walk(path, name);
      else found.set(name, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root, '');
  return found;
}

/** Runs the scaffold; resolves with its exit status and output. */
function scaffold(...args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: run(copy, process.execPath, ['scripts/new-vendor.mjs', ...args]) };
  } catch (error) {
    return { status: 1, output: (error as Error).message };
  }
}

beforeAll(() => {
  copy = copyRepo('token-clients-new-vendor-');
  installCopy(copy);
  before = files(copy);
});
afterAll(() => removeCopy(copy));

describe('pnpm new-vendor', () => {
  it.each([
    ['an upper-case name', 'Acme'],
    ['a name starting with a digit', '1acme'],
    ['an underscore', 'acme_cloud'],
    ['a double hyphen', 'acme--cloud'],
    ['a trailing hyphen', 'acme-'],
    ['an existing vendor', 'dushu'],
    ['an existing package', 'core'],
    ['the private testkit', 'testkit'],
  ])('refuses %s and writes nothing', (_what, name) => {
    const { status, output } = scaffold(name);
    expect(status).toBe(1);
    expect(output).toMatch(/not a valid vendor name|is taken/);
    expect(files(copy)).toEqual(before);
  });

  it('scaffolds a sixth vendor that touches no other file than redocly.yaml', () => {
    const { output } = scaffold(VENDOR);
    expect(output).toContain(`generated packages/${VENDOR}/src/generated/schema.ts`);

    const after = files(copy);
    const changed = [...after].filter(([path, hash]) => before.get(path) !== hash).map(([path]) => path);
    const removed = [...before.keys()].filter((path) => !after.has(path));
    expect(removed).toEqual([]);
    expect(changed.sort()).toEqual(
      [
        `.changeset/${VENDOR}-initial-release.md`,
        `packages/${VENDOR}/LICENSE`,
        `packages/${VENDOR}/README.md`,
        `packages/${VENDOR}/package.json`,
        `packages/${VENDOR}/src/client.ts`,
        `packages/${VENDOR}/src/generated/schema.ts`,
        `packages/${VENDOR}/src/index.ts`,
        `packages/${VENDOR}/src/read-token-response.ts`,
        `packages/${VENDOR}/test/client.test.ts`,
        `packages/${VENDOR}/tsconfig.json`,
        `packages/${VENDOR}/tsup.config.ts`,
        `packages/${VENDOR}/turbo.json`,
        `packages/${VENDOR}/vitest.config.ts`,
        `packages/testkit/src/vendors/${VENDOR}.ts`,
        'redocly.yaml',
        `specs/${VENDOR}.yaml`,
      ].sort(),
    );

    const manifest = JSON.parse(readFileSync(join(copy, 'packages', VENDOR, 'package.json'), 'utf8'));
    expect(manifest.name).toBe(`@token-clients/${VENDOR}`);
    expect(readFileSync(join(copy, 'packages', VENDOR, 'src/client.ts'), 'utf8')).toContain('export const createAcmeCloudClient = defineVendor<paths>()({');
    expect(readFileSync(join(copy, 'packages', VENDOR, 'turbo.json'), 'utf8')).toContain(`$TURBO_ROOT$/specs/${VENDOR}.yaml`);
    expect(readFileSync(join(copy, 'redocly.yaml'), 'utf8')).toContain(`  ${VENDOR}:\n    root: specs/${VENDOR}.yaml`);
    expect(scaffold(VENDOR).output).toMatch(/is taken/);

    // What it tells the user to run next is what the README's "A sixth vendor" shows.
    const next = output.slice(output.indexOf('Next:')).split('\n').filter((line) => /^\s+pnpm /.test(line));
    expect(next.length).toBeGreaterThan(0);
    const readme = readFileSync(join(copy, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## A sixth vendor'));
    const readmeCommands = section.split('\n').filter((line) => /^pnpm (install|build|--filter)/.test(line)).map((line) => line.split('#')[0]!.trim());
    expect(next.map((line) => line.split('#')[0]!.trim().replaceAll(VENDOR, '<name>'))).toEqual(readmeCommands);
  });

  it('installs, generates, builds, type-checks and lints', () => {
    installCopy(copy);
    const filter = `--filter=@token-clients/${VENDOR}`;
    run(copy, 'pnpm', ['exec', 'turbo', 'run', 'generate', 'build', 'typecheck', 'check:generated', filter]);
    expect(existsSync(join(copy, 'packages', VENDOR, 'dist/index.cjs'))).toBe(true);
    run(copy, 'pnpm', ['exec', 'redocly', 'lint', VENDOR]);
    const checked = run(copy, process.execPath, ['scripts/check-packages.mjs', VENDOR]);
    expect(checked).toContain('1 of 1 packages pass');
  });

  it("passes its tests against its fake, imported as '@token-clients/testkit/vendors/<name>'", () => {
    const output = run(copy, 'pnpm', ['--filter', `@token-clients/${VENDOR}`, 'test']).replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  });

  it('writes exactly the shape every vendor package has: the same source files with the same roles', () => {
    const sources = (vendor: string) =>
      readdirSync(join(copy, 'packages', vendor, 'src'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .sort();
    const shape = sources(VENDOR);
    expect(shape).toEqual(['client.ts', 'generated/schema.ts', 'index.ts', 'read-token-response.ts']);
    for (const vendor of ['akubela', 'dushu', 'ebaas', 'fantem', 'wps']) expect(sources(vendor), vendor).toEqual(shape);
  });

  it('is in the fault matrix, the secrets, transport and error-table suites the moment it exists', () => {
    const output = run(copy, 'pnpm', ['--filter', '@token-clients/conformance', 'exec', 'vitest', 'run', '-t', VENDOR, 'test/fault-matrix.test.ts', 'test/secrets.test.ts', 'test/transport.test.ts', 'test/error-table.test.ts'])
      .replace(/\x1b\[[0-9;]*m/g, '');
    // Every vendor whose fake the repository has, and the scaffolded one.
    const vendors = readdirSync(new URL('../packages/testkit/src/vendors/', import.meta.url)).filter((file) => file.endsWith('.ts')).length + 1;
    expect(output).toMatch(new RegExp(`Fault matrix: \\d+ faults × ${vendors} vendors`));
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/\d+ failed/);
    const ran = Number(/Tests\s+(\d+) passed/.exec(output)?.[1]);
    // Every fault of the matrix, the background-refresh check, the secrets check, the transport checks and the
    // four rows of its spec's error table.
    expect(ran).toBeGreaterThanOrEqual(29);
  });

  it('needs no other change for a second scaffold either (names derive from the vendor name)', () => {
    const { output } = scaffold('zeta9', '--title', 'Zeta Nine', '--base-url', 'https://auth.zeta9.example/');
    expect(output).toContain('generated packages/zeta9/src/generated/schema.ts');
    const client = readFileSync(join(copy, 'packages/zeta9/src/client.ts'), 'utf8');
    expect(client).toContain("export const ZETA9_DEFAULT_BASE_URL: string | undefined = 'https://auth.zeta9.example';");
    expect(client).toContain('export const createZeta9Client = defineVendor<paths>()({');
    expect(readFileSync(join(copy, 'packages/zeta9/README.md'), 'utf8')).toContain('**Zeta Nine**');
  });
});
