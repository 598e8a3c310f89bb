// The workspace's packages, read from packages/*/package.json (the only glob of pnpm-workspace.yaml that holds
// publishable packages; bench/ is private). Shared by the packaging, release and Node 24 scripts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is scripts/lib/workspace-packages.mjs). */
export const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * @typedef {{ dir: string, path: string, name: string, version: string, private: boolean,
 *   manifest: Record<string, any> }} WorkspacePackage
 */

/** Every package under packages/, sorted by directory. @returns {WorkspacePackage[]} */
export function workspacePackages(root = repoRoot) {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => {
      const path = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
      return { dir: entry.name, path, name: manifest.name, version: manifest.version, private: manifest.private === true, manifest };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The packages that are published to npm (not `"private": true`). */
export function publishablePackages(root = repoRoot) {
  return workspacePackages(root).filter((pkg) => !pkg.private);
}

/** `acme-cloud` → `AcmeCloud`. */
export function pascalCase(name) {
  return name
    .split('-')
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
