// The vendor packages on Cloudflare's workerd, through Miniflare: each vendor's built package, bundled the way
// wrangler bundles a worker (esbuild, ESM, the `workerd`/`worker` conditions), runs in a worker that gets a token
// from the vendor's fake on loopback and checks that a refused request is a TokenError.
//
//   pnpm test:workers [vendor …]         (run `pnpm build` first; network: npm, for Miniflare and esbuild)
//
// Workers run with no compatibility flag (no `nodejs_compat`): the packages need none. KNOWN_DIFFERENCES lists what
// does not work there yet; the run fails if one of them starts working (then update the README's "Runtimes").
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pascalCase, publishablePackages, repoRoot } from './lib/workspace-packages.mjs';

/** Miniflare 4 with the workerd it was released with; esbuild as tsup bundles with it. Both install on Node 20. */
const TOOLS = { miniflare: '4.20260426.0', esbuild: '0.25.12' };
const COMPATIBILITY_DATE = '2025-09-01';
/** Where an authorization-code vendor's fake is told the code goes back to. */
const REDIRECT_URI = 'https://app.example/callback';

/**
 * What does not work on workerd, each checked to fail exactly so (the README says what stops it and what to do).
 * `check` names a case of the worker below; the run fails if its outcome is anything else.
 */
const KNOWN_DIFFERENCES: { vendor: string; check: string; expect: RegExp; why: string }[] = [
  // None today. fantem's plain-http server warned through process.emitWarning, which workers lack; core now warns
  // through console.warn where there is no process to emit warnings.
];

/** A vendor's fake, as far as this script uses it; `clientOptions` are the further options its client needs (WeCom's `application`). */
type Fake = {
  url: string;
  clientId: string;
  clientSecret?: string;
  clientOptions?: Record<string, unknown>;
  issueCode?: (options: { redirectUri: string }) => string;
  close(): Promise<void>;
};

const only = process.argv.slice(2);
const vendors = publishablePackages()
  .map((pkg) => pkg.dir)
  .filter((dir) => existsSync(join(repoRoot, 'packages/testkit/src/vendors', `${dir}.ts`)) && (only.length === 0 || only.includes(dir)));
if (vendors.length === 0) {
  console.error(`test-workers: no vendor package matches ${only.join(', ')}`);
  process.exit(1);
}

const tools = join(tmpdir(), `token-clients-workers-${TOOLS.miniflare}`);
if (!existsSync(join(tools, 'node_modules/miniflare'))) {
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), JSON.stringify({ private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `miniflare@${TOOLS.miniflare}`, `esbuild@${TOOLS.esbuild}`], { cwd: tools, stdio: 'inherit' });
}
/** The parts of Miniflare and esbuild used here (they are installed outside the workspace, without their types). */
interface MiniflareInstance {
  dispatchFetch(url: string, init: { method: string; body: string }): Promise<{ json(): Promise<unknown> }>;
  dispose(): Promise<void>;
}
type MiniflareClass = new (options: Record<string, unknown>) => MiniflareInstance;
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile: { outputs: Record<string, { bytes: number }> } }>;
}
const requireTool = createRequire(join(tools, 'package.json'));
const { Miniflare } = (await import(pathToFileURL(requireTool.resolve('miniflare')).href)) as { Miniflare: MiniflareClass };
const esbuild = requireTool('esbuild') as Esbuild;

const work = mkdtempSync(join(tmpdir(), 'token-clients-workers-'));
let failures = 0;
try {
  for (const vendor of vendors) {
    const Vendor = pascalCase(vendor);
    const entry = join(work, `${vendor}.worker.mjs`);
    writeFileSync(entry, workerSource(vendor, Vendor));
    const bundle = join(work, `${vendor}.bundle.mjs`);
    // Resolved from the package's directory, as from an app that installed it: its own openapi-fetch, core's build.
    const built = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'import'],
      nodePaths: [join(repoRoot, 'packages', vendor, 'node_modules')],
      outfile: bundle,
      metafile: true,
      logLevel: 'error',
    });
    const bytes = Object.values(built.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);

    const module = (await import(pathToFileURL(join(repoRoot, 'packages/testkit/src/vendors', `${vendor}.ts`)).href)) as Record<string, unknown>;
    const fake = await (module[`start${Vendor}Fake`] as () => Promise<Fake>)();
    const worker = new Miniflare({ modules: true, scriptPath: bundle, modulesRoot: work, compatibilityDate: COMPATIBILITY_DATE });
    try {
      const cases = await (
        await worker.dispatchFetch('http://worker.test/', {
          method: 'POST',
          body: JSON.stringify({
            url: fake.url,
            clientId: fake.clientId,
            clientSecret: fake.clientSecret,
            clientOptions: fake.clientOptions ?? {},
            codes: fake.issueCode ? [fake.issueCode({ redirectUri: REDIRECT_URI }), fake.issueCode({ redirectUri: REDIRECT_URI })] : [],
            redirectUri: REDIRECT_URI,
          }),
        })
      ).json() as Record<string, { ok: boolean; said: string }>;
      const lines: string[] = [];
      let ok = true;
      for (const [name, outcome] of Object.entries(cases)) {
        const known = KNOWN_DIFFERENCES.find((difference) => difference.vendor === vendor && difference.check === name);
        if (known) {
          const still = !outcome.ok && known.expect.test(outcome.said);
          if (!still) ok = false;
          lines.push(still ? `known difference, as expected: ${name}: ${outcome.said}` : `a known difference has changed (update KNOWN_DIFFERENCES and the README): ${name}: ${outcome.said}`);
        } else {
          if (!outcome.ok) ok = false;
          lines.push(`${outcome.ok ? 'ok' : 'FAILED'}: ${name}: ${outcome.said}`);
        }
      }
      if (!ok) failures += 1;
      console.log(`${ok ? 'ok  ' : 'FAIL'} @token-clients/${vendor} on workerd (bundle ${(bytes / 1000).toFixed(1)} kB, no compatibility flags)`);
      for (const line of lines) console.log(`       ${line}`);
    } finally {
      await worker.dispose();
      await fake.close();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`\n${vendors.length - failures} of ${vendors.length} vendor packages pass on workerd (Miniflare ${TOOLS.miniflare}, compatibility date ${COMPATIBILITY_DATE})`);
process.exitCode = failures > 0 ? 1 : 0;

/**
 * The worker: one `fetch` handler that runs each case and answers `{ case: { ok, said } }`. Cases: a token (through
 * a provider for client-credential vendors, `exchangeCode` for the others), a refused request as a TokenError, and
 * for vendors whose documented server is plain http, that server (routed to the fake by the client's `fetch`).
 */
function workerSource(vendor: string, Vendor: string): string {
  const pkg = join(repoRoot, 'packages', vendor, 'dist/index.js');
  return `import { create${Vendor}Client, TokenError } from ${JSON.stringify(pkg)};
const describe = (error) => (error instanceof TokenError ? 'TokenError ' + error.code + (error.cause ? ' (cause: ' + String(error.cause) + ')' : '') : String(error));
export default {
  async fetch(request) {
    const { url, clientId, clientSecret, clientOptions, codes, redirectUri } = await request.json();
    const client = create${Vendor}Client({ ...clientOptions, clientId, clientSecret, baseUrl: url });
    const cases = {};
    const run = async (name, body) => {
      try { cases[name] = { ok: true, said: await body() }; } catch (error) { cases[name] = { ok: false, said: describe(error) }; }
    };
    await run('token', async () => {
      let token;
      if (codes.length > 0) token = await client.exchangeCode({ code: codes[0], redirectUri });
      else {
        const provider = client.tokenProvider();
        try { token = await provider.getToken(); } finally { await provider.close(); }
      }
      if (!(token.accessToken.length > 0)) throw new Error('an empty token');
      return 'a ' + token.tokenType + ' token of ' + token.accessToken.length + ' characters';
    });
    await run('refused', async () => {
      const refused = await (codes.length > 0
        ? client.exchangeCode({ code: codes[0], redirectUri })
        : create${Vendor}Client({ ...clientOptions, clientId, clientSecret: 'wrong', baseUrl: url }).requestToken()
      ).then(() => undefined, (error) => error);
      if (!(refused instanceof TokenError)) throw new Error('a refused request gave ' + String(refused));
      return 'TokenError ' + refused.code;
    });
    if (${JSON.stringify(vendor)} === 'fantem') {
      await run('documented-server', async () => {
        // The documented server, reached through the fake: the client's fetch sends it there, as a proxy would.
        const viaFake = (r) => fetch(new Request(r.url.replace(/^http:\\/\\/[^/]+/, url), r));
        const token = await create${Vendor}Client({ clientId, fetch: viaFake }).exchangeCode({ code: codes[1], redirectUri });
        return 'a token of ' + token.accessToken.length + ' characters from the documented (http) server';
      });
    }
    return Response.json(cases);
  },
};
`;
}
