/** One package under packages/. */
export interface WorkspacePackage {
  dir: string;
  path: string;
  name: string;
  version: string;
  private: boolean;
  manifest: Record<string, any>;
}
/** The repository root. */
export const repoRoot: string;
/** Every package under packages/, sorted by directory. */
export function workspacePackages(root?: string): WorkspacePackage[];
/** The packages that are published to npm (not `"private": true`). */
export function publishablePackages(root?: string): WorkspacePackage[];
/** `acme-cloud` → `AcmeCloud`. */
export function pascalCase(name: string): string;
