export interface TokenSetField {
  name: string;
  optional: boolean;
  doc: string;
}
export interface TokenErrorCodeInfo {
  code: string;
  retryable: boolean;
  advice: string | undefined;
}
export interface CoreContract {
  fields: TokenSetField[];
  codes: TokenErrorCodeInfo[];
}
/** The TokenSet fields and TokenError codes, read from packages/core/src under `root`. */
export function readCoreContract(root: string): Promise<CoreContract>;
