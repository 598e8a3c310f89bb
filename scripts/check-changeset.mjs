#!/usr/bin/env node
// Warns when a published package changed without a changeset that names it. Never fails (unless --strict):
// a changeset is a reviewer's question, not a build error.
//
//   node scripts/check-changeset.mjs [--base <git ref>] [--strict]
//
// Compares the working tree (commits, staged, unstaged and untracked files) with the merge base of HEAD and the
// base: --base, else $CHANGESET_BASE, else origin/$GITHUB_BASE_REF, else origin/main, else main. On the base branch
// itself (merge base = HEAD) it checks the last commit. What counts as a change of a package: any file under
// packages/<dir>/ except its tests and tooling configs, and, for a vendor, specs/<dir>.yaml (its generated client
// follows the spec). A package whose CHANGELOG.md changed is being released (`pnpm version-packages`): not warned.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishablePackages, repoRoot } from './lib/workspace-packages.mjs';

/** Files of a package that do not reach its users. */
const NOT_SHIPPED = [/^test\//, /\.test\.ts$/, /^vitest\.config\.ts$/, /^tsconfig\.json$/, /^turbo\.json$/, /^CHANGELOG\.md$/];

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const baseIndex = args.indexOf('--base');
const requestedBase = baseIndex >= 0 ? args[baseIndex + 1] : process.env.CHANGESET_BASE || (process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : undefined);

const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const refExists = (ref) => {
  try {
    git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    return true;
  } catch {
    return false;
  }
};

let since;
try {
  git('rev-parse', '--is-inside-work-tree');
  const base = [requestedBase, 'origin/main', 'main'].find((ref) => ref && refExists(ref));
  if (!base) throw new Error(`no base to compare with (tried ${[requestedBase, 'origin/main', 'main'].filter(Boolean).join(', ')})`);
  const mergeBase = git('merge-base', base, 'HEAD');
  const head = git('rev-parse', 'HEAD');
  since = mergeBase === head && refExists('HEAD~1') ? git('rev-parse', 'HEAD~1') : mergeBase;
  console.log(`changesets: comparing with ${since === mergeBase ? `${base} (${since.slice(0, 9)})` : `the last commit's parent (${since.slice(0, 9)})`}`);
} catch (error) {
  console.log(`changesets: not checked — ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(0);
}

const changed = new Set([
  ...git('diff', '--name-only', '--no-renames', since).split('\n'),
  ...git('ls-files', '--others', '--exclude-standard').split('\n'),
].filter(Boolean));

// Packages named by the changesets added or edited in this change.
const named = new Set();
for (const file of changed) {
  if (!/^\.changeset\/[^/]+\.md$/.test(file) || file === '.changeset/README.md' || !existsSync(join(repoRoot, file))) continue;
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(join(repoRoot, file), 'utf8'))?.[1] ?? '';
  for (const line of frontMatter.split('\n')) {
    const entry = /^\s*["']?([^"':]+?)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
    if (entry) named.add(entry[1]);
  }
}

const missing = [];
for (const pkg of publishablePackages()) {
  const prefix = `packages/${pkg.dir}/`;
  const own = [...changed].filter((file) => file.startsWith(prefix) && !NOT_SHIPPED.some((pattern) => pattern.test(file.slice(prefix.length))));
  const spec = `specs/${pkg.dir}.yaml`;
  if (changed.has(spec)) own.push(spec);
  if (own.length === 0 || named.has(pkg.name) || changed.has(`${prefix}CHANGELOG.md`)) continue;
  missing.push({ pkg, own });
}

if (missing.length === 0) {
  console.log(`changesets: ok${named.size ? ` (${[...named].sort().join(', ')})` : ' (no published package changed)'}`);
} else {
  for (const { pkg, own } of missing) {
    const shown = own.slice(0, 3).join(', ') + (own.length > 3 ? ` and ${own.length - 3} more` : '');
    console.log(`WARNING: ${pkg.name} changed (${shown}) but no changeset names it.`);
  }
  console.log('  If users will notice the change, run `pnpm changeset` (pick the packages and a bump, write one sentence for');
  console.log('  the changelog) and commit the file it writes to .changeset/. If they will not, ignore this warning.');
}
process.exitCode = strict && missing.length > 0 ? 1 : 0;
