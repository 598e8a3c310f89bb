import type { CoreContract } from './core-contract.mjs';
import type { TokenErrorMapping, TokenSetMapping } from './token-set-extension.mjs';

export const SECTION_HEADING: string;
export const INDEX_LINK_TEXT: string;
export function commonErrors(contract: CoreContract): TokenErrorMapping[];
export function vendorDescription(
  description: string | undefined,
  mapping: TokenSetMapping | undefined,
  contract: CoreContract,
  extensionHasProblems?: boolean,
): string;
export function fromCell(field: { from: string[]; value?: string | undefined }): string;
export function statusText(status: string | undefined): string;
