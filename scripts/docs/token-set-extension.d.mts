import type { CoreContract } from './core-contract.mjs';

export const EXTENSION: 'x-token-set';

export interface Operation {
  method: string;
  path: string;
  operationId: string | undefined;
  summary: string | undefined;
  tags: string[];
}
export interface TokenSetCall {
  call: string;
  description: string;
  operationId: string | undefined;
  operation: Operation | undefined;
}
export interface TokenSetFieldMapping {
  name: string;
  doc: string;
  set: boolean;
  from: string[];
  value: string | undefined;
  note: string | undefined;
}
export interface TokenErrorMapping {
  status: string | undefined;
  vendorCode: string | undefined;
  when: string;
  code: string;
  retryable: boolean;
}
export interface TokenSetMapping {
  package: string;
  factory: string;
  grants: string[];
  calls: TokenSetCall[];
  usage: string | undefined;
  fields: TokenSetFieldMapping[];
  errorNote: string | undefined;
  errors: TokenErrorMapping[];
}

export function operationsOf(spec: unknown): Operation[];
export function readTokenSetExtension(spec: unknown, contract: CoreContract): { mapping: TokenSetMapping | undefined; problems: string[] };
export function successResponseFields(spec: unknown): Set<string>;
export function resolve(spec: unknown, node: unknown): any;
export function isObject(value: unknown): value is Record<string, any>;
