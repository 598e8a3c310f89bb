/**
 * The vendors of the conformance suites, found by themselves: every fake in `packages/testkit/src/vendors/`
 * exports its `conformanceCase`, and the vendor's client comes from `packages/<vendor>/src/index.ts`. A vendor —
 * a scaffolded sixth one included — is in the fault matrix, the secrets suite and the transport suite the moment
 * its fake exists; there is no list here to edit.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConformanceCase, VendorModule, VendorSession } from '@token-clients/testkit';

export type { Breakage, CommonOptions, VendorSession } from '@token-clients/testkit';

/** A vendor of the matrix: its conformance case, with its client module bound. */
export interface VendorCase {
  vendor: string;
  start(now: () => number): Promise<VendorSession>;
  breakage: ConformanceCase['breakage'];
}

const packages = new URL('../../', import.meta.url);
const fakes = new URL('testkit/src/vendors/', packages);

/** The vendors whose fakes exist, in name order. */
export const VENDOR_NAMES: string[] = readdirSync(fileURLToPath(fakes))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3))
  .sort();

async function load(name: string): Promise<VendorCase> {
  const { conformanceCase } = (await import(new URL(`${name}.ts`, fakes).href)) as { conformanceCase?: ConformanceCase };
  if (!conformanceCase) throw new Error(`packages/testkit/src/vendors/${name}.ts exports no conformanceCase`);
  if (conformanceCase.vendor !== name) throw new Error(`packages/testkit/src/vendors/${name}.ts: conformanceCase.vendor is "${conformanceCase.vendor}"`);
  const client = (await import(new URL(`${name}/src/index.ts`, packages).href)) as VendorModule;
  return { vendor: name, start: (now) => conformanceCase.start(now, client), breakage: conformanceCase.breakage };
}

export const VENDORS: VendorCase[] = await Promise.all(VENDOR_NAMES.map(load));
