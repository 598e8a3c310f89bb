// The release flow on a throw-away copy of the repository: `changeset version` (what `pnpm version-packages`
// runs) bumps each package on its own, from the changesets that name it, and writes its CHANGELOG.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyRepo, removeCopy, repoRoot } from './lib/repo-copy.js';

const changesetBin = join(repoRoot, 'node_modules/@changesets/cli/bin.js');
let copy: string | undefined;
afterEach(() => removeCopy(copy));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

function manifests(root: string): Map<string, Manifest> {
  const found = new Map<string, Manifest>();
  for (const dir of readdirSync(join(root, 'packages'))) {
    const path = join(root, 'packages', dir, 'package.json');
    if (existsSync(path)) found.set(dir, JSON.parse(readFileSync(path, 'utf8')) as Manifest);
  }
  return found;
}

function versionPackages(root: string): void {
  execFileSync(process.execPath, [changesetBin, 'version'], { cwd: root, stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
}

const LEVELS = ['none', 'patch', 'minor', 'major'] as const;

function bump(version: string, level: (typeof LEVELS)[number]): string {
  const [major = 0, minorPart = 0, patch = 0] = version.split('.').map(Number);
  if (level === 'major') return `${major + 1}.0.0`;
  if (level === 'minor') return `${major}.${minorPart + 1}.0`;
  if (level === 'patch') return `${major}.${minorPart}.${patch + 1}`;
  return version;
}

/** The changesets waiting in .changeset/: the bump of each package they name, and their summary. */
function pendingChangesets(root: string): { bumps: Map<string, (typeof LEVELS)[number]>; summary: string }[] {
  return readdirSync(join(root, '.changeset'))
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      const [, frontMatter = '', summary = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(readFileSync(join(root, '.changeset', file), 'utf8')) ?? [];
      const bumps = new Map<string, (typeof LEVELS)[number]>();
      for (const [, name, level] of frontMatter.matchAll(/^["']?([^"':]+?)["']?\s*:\s*(none|patch|minor|major)\s*$/gm)) {
        bumps.set(name!, level as (typeof LEVELS)[number]);
      }
      return { bumps, summary: summary.trim() };
    });
}

describe('pnpm version-packages', () => {
  it('applies the pending changesets: every package they name gets its version bump and CHANGELOG entry', () => {
    copy = copyRepo('token-clients-release-');
    const pending = pendingChangesets(copy);
    const before = manifests(copy);
    versionPackages(copy);
    const after = manifests(copy);
    for (const [dir, manifest] of before) {
      const named = pending.filter((changeset) => changeset.bumps.has(manifest.name));
      if (manifest.private || named.length === 0) {
        // Unnamed packages move only when a dependency's new version leaves their range (a patch); private ones never.
        if (manifest.private) expect(after.get(dir)?.version, `${manifest.name} is private: never versioned`).toBe(manifest.version);
        continue;
      }
      const level = Math.max(...named.map((changeset) => LEVELS.indexOf(changeset.bumps.get(manifest.name)!)));
      expect(after.get(dir)?.version, manifest.name).toBe(bump(manifest.version, LEVELS[level]!));
      const changelog = readFileSync(join(copy, 'packages', dir, 'CHANGELOG.md'), 'utf8');
      for (const changeset of named) expect(changelog).toContain(changeset.summary.split('\n')[0]);
    }
    expect(pendingChangesets(copy)).toEqual([]);
  });

  it('bumps only the package a changeset names: versions are independent', () => {
    copy = copyRepo('token-clients-release-');
    for (const file of readdirSync(join(copy, '.changeset'))) {
      if (file.endsWith('.md') && file !== 'README.md') rmSync(join(copy, '.changeset', file));
    }
    writeFileSync(join(copy, '.changeset/dushu-fix.md'), "---\n'@token-clients/dushu': patch\n---\n\nA fix.\n");
    const before = manifests(copy);
    versionPackages(copy);
    const after = manifests(copy);
    // dushu, and the packages whose `dependencies` range on it the bump leaves behind (the token service
    // depends on every vendor: `^0.0.0` does not take 0.0.1), get a patch; every other package keeps its version.
    const bumped = (dir: string, manifest: { dependencies?: Record<string, string> }) =>
      dir === 'dushu' || manifest.dependencies?.['@token-clients/dushu'] !== undefined;
    for (const [dir, manifest] of before) {
      const expected = bumped(dir, manifest) ? manifest.version.replace(/\d+$/, (patch) => String(Number(patch) + 1)) : manifest.version;
      expect(after.get(dir)?.version, manifest.name).toBe(expected);
    }
  });
});
