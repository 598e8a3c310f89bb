export const REPO_ROOT: string;
export interface BuiltVendor {
  name: string;
  specFile: string;
  page: string | undefined;
  specJson: string | undefined;
  title: string;
  hasTokenSet: boolean;
  /** The spec is one of token-clients' own services (info.x-token-service), not a vendor. */
  isService: boolean;
  problems: string[];
}
export interface BuildResult {
  outDir: string;
  vendors: BuiltVendor[];
  problems: string[];
  ms: number;
}
export function buildDocs(options?: {
  root?: string;
  specsDir?: string;
  outDir?: string;
  concurrency?: number;
  log?: (line: string) => void;
}): Promise<BuildResult>;
