// Builds docs/ from whatever specs/*.yaml exist:
//   docs/<vendor>.html          the vendor's API reference: `redocly build-docs --inlineBundle` of the spec, its
//                               description extended with the spec's x-token-set (package, calls, TokenSet and
//                               TokenError mapping) and a link back to the index; made fully offline
//   docs/<vendor>.openapi.json  the bundled spec, linked from the index
//   docs/index.html             the vendors, their packages and TokenSet / TokenError mappings
//   docs/vendors.json           what was built, for tools and the browser test
// A spec that cannot be bundled or rendered, or whose x-token-set is malformed, does not stop the others: the
// index shows its problems and the result lists them (the CLI then exits non-zero).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCoreContract } from './core-contract.mjs';
import { makeOffline } from './offline-page.mjs';
import { redocly } from './redocly.mjs';
import { withLocalRegistryLinks } from './registry-link.mjs';
import { renderIndex } from './render-index.mjs';
import { vendorDescription } from './render-vendor-section.mjs';
import { readServiceExtension, SERVICE_EXTENSION, serviceDescription } from './service-extension.mjs';
import { EXTENSION, isObject, readTokenSetExtension } from './token-set-extension.mjs';

/** The repository root (this file is scripts/docs/build.mjs). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @typedef {import('./render-index.mjs').IndexVendor} IndexVendor
 * @typedef {{ name: string, specFile: string, page: string | undefined, specJson: string | undefined,
 *             title: string, hasTokenSet: boolean, problems: string[] }} BuiltVendor
 * @typedef {{ outDir: string, vendors: BuiltVendor[], problems: string[], ms: number }} BuildResult
 */

/**
 * @param {{ root?: string, specsDir?: string, outDir?: string, concurrency?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<BuildResult>}
 */
export async function buildDocs(options = {}) {
  const started = Date.now();
  const root = options.root ?? REPO_ROOT;
  const specsDir = options.specsDir ?? join(root, 'specs');
  const outDir = options.outDir ?? join(root, 'docs');
  const log = options.log ?? (() => {});
  const contract = await readCoreContract(root);
  const specFiles = readdirSync(specsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
  if (specFiles.length === 0) throw new Error(`no specs found: ${relative(root, specsDir) || specsDir}/*.yaml`);

  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'token-clients-docs-'));
  try {
    /** @type {IndexVendor[]} */
    const vendors = await mapLimit(specFiles, options.concurrency ?? 3, (file) =>
      buildVendor({ root, specPath: join(specsDir, file), outDir, work, contract, log }),
    );
    removeStale(outDir, new Set(vendors.map((vendor) => vendor.name)));
    writeFileSync(join(outDir, 'index.html'), renderIndex({ vendors, contract, generatedAt: new Date() }));
    /** @type {BuiltVendor[]} */
    const built = vendors.map((vendor) => ({
      name: vendor.name,
      specFile: vendor.specFile,
      page: vendor.page,
      specJson: vendor.specJson,
      title: vendor.title,
      hasTokenSet: vendor.mapping !== undefined,
      isService: vendor.service !== undefined,
      problems: vendor.problems,
    }));
    writeFileSync(join(outDir, 'vendors.json'), `${JSON.stringify({ vendors: built }, null, 2)}\n`);
    log(`${relative(root, join(outDir, 'index.html'))}`);
    return {
      outDir,
      vendors: built,
      problems: built.flatMap((vendor) => vendor.problems.map((problem) => `${vendor.specFile}: ${problem}`)),
      ms: Date.now() - started,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * @param {{ root: string, specPath: string, outDir: string, work: string, contract: import('./core-contract.mjs').CoreContract,
 *           log: (line: string) => void }} input
 * @returns {Promise<IndexVendor>}
 */
async function buildVendor({ root, specPath, outDir, work, contract, log }) {
  const name = basename(specPath).replace(/\.ya?ml$/, '');
  const specFile = relative(root, specPath).split('\\').join('/');
  /** @type {IndexVendor} */
  const vendor = { name, specFile, page: undefined, specJson: undefined, title: name, version: undefined, summary: undefined, servers: [], mapping: undefined, service: undefined, problems: [] };
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) {
    vendor.problems.push('the file name must be the vendor name (letters, digits, "-" and "_")');
    return vendor;
  }
  let spec;
  try {
    // `bundle` parses the YAML the way Redocly does and pulls in any external $ref, so the page, the index and
    // the test all read the same document.
    const bundled = join(work, `${name}.json`);
    await redocly(['bundle', specPath, '--ext', 'json', '--output', bundled], { cwd: root });
    spec = JSON.parse(readFileSync(bundled, 'utf8'));
  } catch (error) {
    vendor.problems.push(`cannot be read: ${message(error)}`);
    return vendor;
  }
  if (!isObject(spec) || typeof spec.openapi !== 'string' || !isObject(spec.info)) {
    vendor.problems.push('is not an OpenAPI 3 document (no `openapi` or `info`)');
    return vendor;
  }
  const info = spec.info;
  vendor.title = typeof info.title === 'string' && info.title.trim() ? info.title.trim() : name;
  vendor.version = typeof info.version === 'string' ? info.version : undefined;
  vendor.summary = typeof info.summary === 'string' ? info.summary : undefined;
  vendor.servers = (Array.isArray(spec.servers) ? spec.servers : [])
    .filter((server) => isObject(server) && typeof server.url === 'string')
    .map((server) => ({ url: server.url, description: typeof server.description === 'string' ? server.description : undefined }));
  const { mapping, problems } = readTokenSetExtension(spec, contract);
  vendor.mapping = mapping;
  vendor.problems.push(...problems);
  // A spec of token-clients' own service (x-token-service) is rendered beside the vendors, without a TokenSet mapping.
  const { service, problems: serviceProblems } = readServiceExtension(spec);
  vendor.service = service;
  vendor.problems.push(...serviceProblems);

  writeFileSync(join(outDir, `${name}.openapi.json`), `${JSON.stringify(spec, null, 2)}\n`);
  vendor.specJson = `${name}.openapi.json`;

  try {
    const pageSpec = structuredClone(spec);
    pageSpec.info = withLocalRegistryLinks(pageSpec.info, name);
    pageSpec.info.description = service
      ? serviceDescription(info.description, service)
      : vendorDescription(info.description, mapping, contract, problems.length > 0);
    // The extensions are shown in the description; Redoc would ignore them anyway.
    delete pageSpec.info[EXTENSION];
    delete pageSpec.info[SERVICE_EXTENSION];
    const pageSpecPath = join(work, `${name}.page.json`);
    const pagePath = join(work, `${name}.html`);
    writeFileSync(pageSpecPath, JSON.stringify(pageSpec));
    await redocly(['build-docs', pageSpecPath, '--inlineBundle', '--output', pagePath], { cwd: root });
    writeFileSync(join(outDir, `${name}.html`), makeOffline(readFileSync(pagePath, 'utf8')));
    vendor.page = `${name}.html`;
    log(`${relative(root, join(outDir, vendor.page))}${mapping || service ? '' : problems.length ? ' (x-token-set has problems)' : ` (no ${EXTENSION})`}`);
  } catch (error) {
    vendor.problems.push(`cannot be rendered: ${message(error)}`);
  }
  return vendor;
}

/**
 * Removes pages, bundled specs and screenshots (`<vendor>.png`, `<vendor>-<operation>.png`) of specs that no
 * longer exist. @param {string} outDir @param {Set<string>} names
 */
function removeStale(outDir, names) {
  const current = (/** @type {string} */ base, /** @type {string} */ ext) =>
    base === 'index' || names.has(base) || (ext === '.png' && [...names].some((name) => base.startsWith(`${name}-`)));
  for (const file of readdirSync(outDir)) {
    const match = /^(.+?)(\.openapi\.json|\.html|\.png)$/.exec(file);
    if (match && !current(/** @type {string} */ (match[1]), /** @type {string} */ (match[2]))) rmSync(join(outDir, file), { force: true });
  }
}

/**
 * @template T, R
 * @param {T[]} items @param {number} limit @param {(item: T) => Promise<R>} run
 * @returns {Promise<R[]>} results in the order of `items`
 */
async function mapLimit(items, limit, run) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(/** @type {T} */ (items[index]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** @param {unknown} error */
function message(error) {
  return error instanceof Error ? error.message : String(error);
}
