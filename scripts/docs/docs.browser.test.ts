// The rendered API docs in a real browser, offline. Builds docs/ from the current specs with `pnpm docs`'s
// own script, serves it from 127.0.0.1, opens the index and every vendor page in headless Chromium (Debian's,
// driven by playwright-core) with every request to another host blocked and counted, and checks that each
// page shows what its spec says — each operation, its parameters and its examples — that nothing left the
// machine and that nothing was logged as an error. Screenshots land in docs/ (build output).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageExpectations, type OperationExpectation } from './page-expectations.js';
import { INDEX_LINK_TEXT, SECTION_HEADING } from './render-vendor-section.mjs';
import { startStaticServer, type StaticServer } from './static-server.mjs';
import { EXTENSION } from './token-set-extension.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = join(ROOT, 'docs');
/** The vendors are whatever specs exist now: a sixth spec is tested without touching this file. */
const VENDORS = readdirSync(join(ROOT, 'specs'))
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => file.replace(/\.ya?ml$/, ''))
  .sort();
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** How long one text may take to appear after a click (the page itself is local and small). */
const UI_TIMEOUT_MS = 10_000;

interface BuiltVendor {
  name: string;
  specFile: string;
  page: string | undefined;
  specJson: string | undefined;
  hasTokenSet: boolean;
  /** One of token-clients' own services (info.x-token-service), documented beside the vendors. */
  isService?: boolean;
  problems: string[];
}

/** The raw `info.x-token-set` of a spec, as far as the test reads it. */
interface TokenSetExtension {
  package?: string;
  fields?: Record<string, { from?: string | string[] }>;
  errors?: { code?: string }[];
}

let server: StaticServer | undefined;
let browser: Browser | undefined;
let built: BuiltVendor[] = [];
let buildOutput = '';

beforeAll(async () => {
  // The real `pnpm docs` script, so the test covers the build as users run it and always sees the current specs.
  buildOutput = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [join(ROOT, 'scripts', 'build-docs.mjs')], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`pnpm docs failed:\n${output || error.message}`));
      else resolve(output);
    });
  });
  built = (JSON.parse(readFileSync(join(DOCS, 'vendors.json'), 'utf8')) as { vendors: BuiltVendor[] }).vendors;
  server = await startStaticServer({ root: DOCS });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('pnpm docs', () => {
  it('builds a page for every spec in specs/, without problems', () => {
    expect(built.map((vendor) => vendor.name)).toEqual(VENDORS);
    const problems = built.flatMap((vendor) => vendor.problems.map((problem) => `${vendor.specFile}: ${problem}`));
    expect(problems, buildOutput).toEqual([]);
    expect(built.filter((vendor) => vendor.page === undefined).map((vendor) => vendor.name)).toEqual([]);
  });

  it(`finds info.${EXTENSION} (the TokenSet / TokenError mapping) in every vendor's spec`, () => {
    const missing = VENDORS.filter((name) => !isService(name) && tokenSetExtension(name) === undefined).map((name) => `specs/${name}.yaml`);
    expect(missing, `specs without info.${EXTENSION}`).toEqual([]);
  });
});

describe('the docs in a browser, offline', () => {
  it('index: lists every vendor, links its page, shows its package and TokenSet / TokenError mapping', async () => {
    const visit = await open('index.html');
    const { page } = visit;
    await visible(page.getByRole('heading', { level: 1, name: 'token-clients — vendor API docs' }), 'the index title');
    for (const name of VENDORS) {
      const section = page.locator(`section[data-vendor="${name}"]`);
      await visible(section, `the section of ${name}`);
      await visible(page.locator(`table.vendors a[href="${name}.html"]`), `the link to ${name}.html in the vendor list`);
      await visible(section.locator(`a[href="${name}.html"]`).first(), `the link to ${name}.html in its section`);
      const extension = tokenSetExtension(name);
      if (isService(name)) {
        // A service has no TokenSet mapping: its section says what to install and run instead.
        await visible(section.locator('dl.facts dt', { hasText: 'Run' }), `how to run ${name}`);
        expect(await section.locator('.missing').count(), `${name} is a service, not a vendor without a mapping`).toBe(0);
        continue;
      }
      if (extension === undefined) {
        // The index must say so plainly (the test above fails for it).
        await visible(section.locator('.missing'), `the note that ${name} has no ${EXTENSION}`);
        continue;
      }
      await visible(section.getByText(`npm i ${extension.package}`, { exact: true }), `how to install ${extension.package}`);
      for (const [field, mapping] of Object.entries(extension.fields ?? {})) {
        const row = section.locator(`table.mapping tr[data-field="${field}"]`);
        await visible(row, `the TokenSet row of ${name}.${field}`);
        for (const from of [mapping.from ?? []].flat()) {
          if (from !== '$') await visible(row.getByText(from, { exact: true }).first(), `${name}: ${field} ← ${from}`);
        }
      }
      for (const error of extension.errors ?? []) {
        await visible(section.locator(`table.errors tr[data-code="${error.code}"]`).first(), `${name}: the TokenError row for ${error.code}`);
      }
    }
    expect(await page.locator('.problems').count(), 'problems shown on the index').toBe(0);
    await page.screenshot({ path: join(DOCS, 'index.png'), fullPage: true });

    // The links lead to the vendor pages.
    const first = VENDORS[0];
    if (first !== undefined) {
      await page.locator(`table.vendors a[href="${first}.html"]`).click();
      await page.waitForURL(`**/${first}.html`);
      await redocReady(page);
    }
    await visit.assertOffline();
  });

  it.each(VENDORS)('%s: shows each operation, its parameters and examples, and its TokenSet mapping', async (name) => {
    const spec = JSON.parse(readFileSync(join(DOCS, `${name}.openapi.json`), 'utf8')) as { info: { title: string } };
    const operations = pageExpectations(spec);
    expect(operations.length, `${name} has no operation`).toBeGreaterThan(0);
    const visit = await open(`${name}.html`);
    const { page } = visit;
    await redocReady(page);
    const main = page.locator('main');

    // The overview: the API, the way back to the index, and the TypeScript section from x-token-set.
    await visible(main.getByRole('heading', { name: spec.info.title }).first(), `${name}: the API title`);
    await visible(main.getByRole('link', { name: INDEX_LINK_TEXT }), `${name}: the link back to the index`);
    await visible(main.getByRole('heading', { name: SECTION_HEADING }), `${name}: the "${SECTION_HEADING}" section`);
    const extension = tokenSetExtension(name);
    if (extension?.package) await visible(main.getByText(`npm i ${extension.package}`).first(), `${name}: how to install ${extension.package}`);
    // Built before the packages are public too: no link may lead to a registry page that may not exist yet.
    expect(await page.locator('a[href*="npmjs.com"], a[href*="npmjs.org"]').count(), `${name}: links to the npm registry`).toBe(0);
    await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: true });

    for (const operation of operations) {
      await openOperation(page, operation);
      const where = `${name} ${operation.method.toUpperCase()} ${operation.path}`;
      const examples = operation.parameters.filter((parameter) => parameter.example !== undefined).length +
        (operation.requestExample ? 1 : 0) + operation.responseExamples.length;
      expect(examples, `${where}: the spec gives this operation no example to show`).toBeGreaterThan(0);
      for (const parameter of operation.parameters) {
        await visible(fieldName(main, parameter.name), `${where}: parameter ${parameter.name}`);
        if (parameter.example !== undefined) {
          await visible(main.getByText(parameter.example).filter({ visible: true }).first(), `${where}: example of ${parameter.name}`);
        }
      }
      for (const field of operation.bodyFields) await visible(fieldName(main, field), `${where}: request body field ${field}`);
      const request = operation.requestExample;
      if (request) {
        await visible(sample(main, request.value), `${where}: the request example (${request.value})`);
        if (request.summary && request.choices > 1) {
          await visible(main.getByText(request.summary, { exact: true }).filter({ visible: true }).first(), `${where}: the title of the first request example`);
        }
      }
      // Saved before the response tabs are clicked, so it shows the operation as a reader first sees it.
      await page.screenshot({ path: join(DOCS, `${name}-${(operation.operationId ?? operation.method).toLowerCase()}.png`) });
      // The operation's own section: Redoc renders every operation on one page, so a bare "panel with a 200
      // button" can be an earlier operation's (a spec with several operations sharing a status).
      const section = operation.operationId ? main.locator(`[data-section-id$="/${operation.operationId.toLowerCase()}"]`).first() : main;
      for (const { status, example } of operation.responseExamples) {
        const panel = section
          .locator('[data-component-name="Panel/Panel"]')
          .filter({ has: page.getByRole('button', { name: status, exact: true }) })
          .filter({ visible: true })
          .first();
        await panel.getByRole('button', { name: status, exact: true }).click();
        await visible(sample(panel, example.value), `${where}: the ${status} response example (${example.value})`);
        if (example.summary && example.choices > 1) {
          await visible(panel.getByText(example.summary, { exact: true }).first(), `${where}: the title of the first ${status} example`);
        }
      }
    }

    // And back to the index.
    await page.goto(new URL(`${name}.html`, server!.url).href);
    await redocReady(page);
    await page.getByRole('link', { name: INDEX_LINK_TEXT }).click();
    await page.waitForURL('**/index.html');
    await visible(page.locator(`section[data-vendor="${name}"]`), `the index, reached from ${name}.html`);
    await visit.assertOffline();
  });
});

/** Whether a spec is one of token-clients' own services rather than a vendor (from the build's vendors.json). */
function isService(name: string): boolean {
  return built.find((vendor) => vendor.name === name)?.isService === true;
}

/** The raw x-token-set of a vendor's bundled spec, or undefined when it has none. */
function tokenSetExtension(name: string): TokenSetExtension | undefined {
  const spec = JSON.parse(readFileSync(join(DOCS, `${name}.openapi.json`), 'utf8')) as { info?: Record<string, unknown> };
  return spec.info?.[EXTENSION] as TokenSetExtension | undefined;
}

interface Visit {
  page: Page;
  /** Asserts that no request went to another host, nothing was logged as an error and no script failed. */
  assertOffline(): Promise<void>;
}

/** Opens a page of docs/ in a fresh context that blocks and counts every request not to the local server. */
async function open(path: string): Promise<Visit> {
  const origin = new URL(server!.url).origin;
  const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
  const outside = new Set<string>();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const local = (url: string) => {
    const parsed = new URL(url);
    return parsed.origin === origin || ['data:', 'blob:', 'about:'].includes(parsed.protocol);
  };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    outside.add(url);
    return route.abort('blockedbyclient');
  });
  // Belt and braces: anything that reaches the network layer without passing the route is counted too.
  context.on('request', (request) => {
    if (!local(request.url())) outside.add(request.url());
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const response = await page.goto(new URL(path, server!.url).href, { waitUntil: 'load' });
  expect(response?.status(), `GET ${path}`).toBe(200);
  return {
    page,
    async assertOffline() {
      await page.waitForLoadState('load');
      expect([...outside], 'requests that tried to leave the machine').toEqual([]);
      expect(consoleErrors, 'console errors').toEqual([]);
      expect(pageErrors, 'uncaught page errors').toEqual([]);
      await context.close();
    },
  };
}

/** Waits until Redoc has hydrated the prerendered page (before that, its links are plain hrefs). */
async function redocReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.getElementById('redoc');
      return root !== null && Object.keys(root).some((key) => key.startsWith('__reactContainer'));
    },
    undefined,
    { timeout: UI_TIMEOUT_MS },
  );
  await visible(page.locator('[data-component-name="Menu/Menu"]'), 'the side menu');
}

/** Goes to an operation the way a reader does: through the side menu (opening its tag first). */
async function openOperation(page: Page, operation: OperationExpectation): Promise<void> {
  const menu = page.locator('[data-component-name="Menu/Menu"]');
  const item = menu.getByText(operation.label, { exact: true }).first();
  if (!(await item.isVisible()) && operation.tag !== undefined) await menu.getByText(operation.tag, { exact: true }).first().click();
  await item.click();
  await visible(page.locator('main').getByRole('heading', { name: operation.label }).first(), `the operation "${operation.label}"`);
}

/** A parameter or property name as Redoc lists it (not a mention of it in a description). */
function fieldName(scope: Locator, name: string): Locator {
  return scope.locator('span').getByText(name, { exact: true }).filter({ visible: true }).first();
}

/** A request or response sample (Redoc's code block) showing `value`. */
function sample(scope: Locator, value: string): Locator {
  return scope.locator('[data-component-name="CodeBlock/CodeBlock"]').filter({ hasText: value }).filter({ visible: true }).first();
}

async function visible(locator: Locator, what: string): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`not visible: ${what}\n${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}
