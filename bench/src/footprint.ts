/**
 * Footprint: what `npm install` brings in for a user who installs one vendor (dushu, which pulls core): the
 * packages are packed as they would be published, installed into an empty project, and counted on disk.
 * google-auth-library@10.9.1 is measured the same way (in --quick, the issue's figure stands in for it);
 * simple-oauth2 is the issue's quoted figure.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOOGLE } from './peers.js';
import { megabytes, ratio, type BenchOptions, type BenchResult, type Row } from './table.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The issue's figures, quoted: simple-oauth2 is no dependency of this repository, so it is never measured. */
const QUOTED = {
  'google-auth-library': { packages: 24, bytes: 12e6 },
  'simple-oauth2': { packages: 16, bytes: 3.1e6 },
};

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return result.stdout;
}

interface Footprint {
  packages: number;
  /** Sum of file sizes. */
  bytes: number;
  /** Allocated on disk (st_blocks × 512, like `du`). */
  diskBytes: number;
}

/** Counts the packages (directories with a package.json under node_modules, nested ones too) and the bytes. */
function measure(nodeModules: string): Footprint {
  const total: Footprint = { packages: 0, bytes: 0, diskBytes: 0 };
  const walk = (dir: string, packageLevel: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const stat = lstatSync(path);
      total.bytes += stat.size;
      total.diskBytes += stat.blocks * 512;
      if (!entry.isDirectory()) continue;
      if (packageLevel && entry.name.startsWith('@')) walk(path, true); // a scope: its children are packages
      else if (packageLevel && !entry.name.startsWith('.')) {
        total.packages += 1;
        walk(path, false);
      } else walk(path, entry.name === 'node_modules');
    }
  };
  walk(nodeModules, true);
  return total;
}

/** `npm install`s `specs` into a new empty project and measures its node_modules. */
function installAndMeasure(root: string, name: string, specs: string[]): Footprint {
  const project = join(root, name);
  run('mkdir', ['-p', project], root);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `footprint-${name}`, private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...specs], project);
  return measure(join(project, 'node_modules'));
}

export async function footprint({ quick }: BenchOptions): Promise<BenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'token-clients-footprint-'));
  try {
    // pnpm pack turns `workspace:` ranges into the versions a user would get from the registry.
    const tarball = (pkg: string) => join(root, run('pnpm', ['pack', '--pack-destination', root], join(REPO, 'packages', pkg)).trim().split('\n').at(-1)!.split('/').at(-1)!);
    const ours = installAndMeasure(root, 'ours', [tarball('core'), tarball('dushu')]);
    // One more registry install: worth it for the full run, not for CI's quick one.
    const google = quick ? undefined : installAndMeasure(root, 'google', ['google-auth-library@10.9.1']);

    const describe = (f: { packages: number; bytes: number }) => `${f.packages} packages, ${megabytes(f.bytes)}`;
    const rowAgainst = (name: string, peer: { packages: number; bytes: number }, how: string): Row => ({
      benchmark: `Footprint: dushu + core vs ${name}`,
      ours: describe(ours),
      baseline: `${describe(peer)} (${how})`,
      ratio: `${ratio(ours.packages, peer.packages)} pkgs, ${ratio(ours.bytes, peer.bytes)} bytes`,
      goal: '—',
      met: '—',
    });
    return {
      rows: [
        google ? rowAgainst(GOOGLE, google, 'measured') : rowAgainst('google-auth-library', QUOTED['google-auth-library'], 'quoted in the issue'),
        rowAgainst('simple-oauth2', QUOTED['simple-oauth2'], 'quoted in the issue'),
      ],
      notes: [
        `Footprint: \`pnpm pack\` of packages/core and packages/dushu, \`npm install\` of both tarballs into an empty ` +
          `project (registry dependencies resolved as a user would get them); packages = directories with a ` +
          `package.json under node_modules (nested too), bytes = sum of file sizes (on disk, as \`du\` counts: ` +
          `${megabytes(ours.diskBytes)} ours${google ? `, ${megabytes(google.diskBytes)} google-auth-library` : ''}). ` +
          (google
            ? 'google-auth-library@10.9.1 is installed and measured the same way (the issue quotes 24 packages / 12 MB); '
            : 'google-auth-library: the issue\'s quoted 24 packages / 12 MB (--quick does not install it); ') +
          `simple-oauth2 (16 packages / 3.1 MB) is the issue's quoted figure, not measured.`,
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
