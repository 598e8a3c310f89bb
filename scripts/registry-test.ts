// The release flow, end to end, against a real registry: what `npm i @token-clients/<vendor>` will do once the
// packages are public, proven before they are.
//
//   pnpm test:registry [vendor …] [--keep]        (default: every vendor; network: npm, for Verdaccio and openapi-fetch)
//
// 1. starts Verdaccio 6.8.0 (installed from npm into a cache directory) on a free loopback port, with no uplink:
//    it serves @token-clients/* and nothing else;
// 2. on a throw-away copy of the repository (the working tree is never touched): `pnpm install`, a git commit,
//    `pnpm version-packages` (changeset version) and `pnpm release` (build, publint + attw, changeset publish through
//    pnpm publish), with the registry and a publish token from Verdaccio's own `npm adduser` endpoint;
// 3. checks every package is on the registry at the version changesets gave it, with no `workspace:` range left,
//    and that changesets tagged each release in git;
// 4. for each vendor, in an empty directory whose .npmrc sends @token-clients to that registry (everything else to
//    npmjs, as a user's would), runs `npm install @token-clients/<vendor>` and gets a token from the vendor's fake
//    (testkit, in this process) with what npm installed — the README's install line.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { copyRepo, installCopy, removeCopy, repoRoot, run } from './lib/repo-copy.js';
import { pascalCase, publishablePackages } from './lib/workspace-packages.mjs';

/** The one Verdaccio that installs on Node 20 (later ones pull node-fetch 3, which wants Node 22). */
const VERDACCIO = { version: '6.8.0', overrides: { 'node-fetch': '2.7.0' } };
/** Where the code of an authorization-code vendor's fake is sent back to (any URL: the fake only compares it). */
const REDIRECT_URI = 'https://app.example/callback';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'token-clients-registry-'));
let verdaccio: ChildProcess | undefined;
let copy: string | undefined;
let failed = false;

try {
  const vendors = args.filter((arg) => !arg.startsWith('--'));
  step(`Verdaccio ${VERDACCIO.version} on loopback`);
  const registry = await startVerdaccio();
  console.log(`  ${registry}`);

  step('a throw-away copy of the repository, installed, committed');
  copy = copyRepo('token-clients-release-copy-');
  installCopy(copy);
  git(copy, 'init', '-q', '-b', 'main');
  git(copy, 'add', '-A');
  git(copy, 'commit', '-q', '-m', 'the working tree, copied');
  const published = publishablePackages(copy);
  const all = published.filter((pkg) => existsSync(join(repoRoot, 'packages/testkit/src/vendors', `${pkg.dir}.ts`))).map((pkg) => pkg.dir);
  for (const vendor of vendors) if (!all.includes(vendor)) throw new Error(`${vendor} is not a published vendor package (${all.join(', ')})`);

  step('pnpm version-packages (changeset version)');
  run(copy, 'pnpm', ['version-packages']);
  const versions = new Map(publishablePackages(copy).map((pkg) => [pkg.name, pkg.version]));
  console.log(`  ${[...versions].map(([name, version]) => `${name}@${version}`).join(', ')}`);
  git(copy, 'commit', '-q', '-am', 'Version packages');

  step('pnpm release (build, check-packages, changeset publish) to the local registry');
  const npmrc = join(work, 'publisher.npmrc');
  const host = registry.replace(/^http:/, '');
  writeFileSync(npmrc, `registry=${registry}\n${host}:_authToken=${await publishToken(registry)}\n`);
  const releaseOutput = run(copy, 'pnpm', ['release'], { NPM_CONFIG_USERCONFIG: npmrc, npm_config_registry: registry });
  for (const line of releaseOutput.split('\n').filter((line) => /published|tag/i.test(line) && line.includes('@token-clients/'))) {
    console.log(`  ${line.replace(/^.*?(?=@token-clients)/, '').trim()}`);
  }

  step('on the registry: every package at its new version, no workspace: range left, each release tagged');
  const tags = git(copy, 'tag', '--list').split('\n');
  for (const [name, version] of versions) {
    // npm's own view of it, as a user's `npm view` shows it.
    const published = JSON.parse(run(work, 'npm', ['view', name, '--json', `--registry=${registry}`]));
    const latest = published['dist-tags']?.latest;
    if (latest !== version || published.version !== version) throw new Error(`${name}: the registry's latest is ${latest ?? 'missing'}, not ${version}`);
    const ranges = Object.entries({ ...published.dependencies, ...published.peerDependencies }).filter(([, range]) => String(range).startsWith('workspace:'));
    if (ranges.length > 0) throw new Error(`${name}@${version} was published with workspace: ranges: ${ranges.map(([dep]) => dep).join(', ')}`);
    if (!tags.includes(`${name}@${version}`)) throw new Error(`changeset publish did not tag ${name}@${version} (tags: ${tags.join(', ')})`);
    console.log(`  ${name}@${version}  deps ${JSON.stringify(published.dependencies ?? {})}`);
  }

  for (const vendor of vendors.length > 0 ? vendors : all) {
    step(`npm install @token-clients/${vendor} in an empty directory, then a token from the ${vendor} fake`);
    const app = join(work, `app-${vendor}`);
    mkdirSync(app);
    // What a user writes before the first public release: only @token-clients comes from the local registry.
    writeFileSync(join(app, '.npmrc'), `@token-clients:registry=${registry}\n`);
    run(app, 'npm', ['init', '-y']);
    run(app, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `@token-clients/${vendor}`]);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/@token-clients', vendor, 'package.json'), 'utf8')).version;
    if (installed !== versions.get(`@token-clients/${vendor}`)) throw new Error(`npm installed @token-clients/${vendor}@${installed}`);
    console.log(`  installed @token-clients/${vendor}@${installed}`);
    console.log(`  ${await getToken(vendor, app)}`);
  }
  console.log(`\nregistry test passed in ${seconds()} s`);
} catch (error) {
  failed = true;
  const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : '';
  console.error(`\nregistry test FAILED: ${error instanceof Error ? error.message : String(error)}${cause}`);
} finally {
  verdaccio?.kill('SIGTERM');
  if (keep || failed) console.log(`(kept: ${work}${copy ? ` and ${copy}` : ''})`);
  else {
    rmSync(work, { recursive: true, force: true });
    removeCopy(copy);
  }
}
process.exitCode = failed ? 1 : 0;

/** Installs Verdaccio into a cache directory (once), starts it with a config of our own, and resolves with its URL. */
async function startVerdaccio(): Promise<string> {
  const tools = join(tmpdir(), `token-clients-verdaccio-${VERDACCIO.version}`);
  const bin = join(tools, 'node_modules/verdaccio/bin/verdaccio');
  if (!existsSync(bin)) {
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(tools, 'package.json'), JSON.stringify({ private: true, overrides: VERDACCIO.overrides }));
    run(tools, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `verdaccio@${VERDACCIO.version}`]);
  }
  const port = await freePort();
  const config = join(work, 'verdaccio.yaml');
  // No uplink: the registry answers for @token-clients/* alone, so nothing published elsewhere can stand in.
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(work, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(work, 'htpasswd'))}`,
      'uplinks: {}',
      'packages:',
      "  '@token-clients/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  verdaccio = child;
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`Verdaccio exited (${code}) at start:\n${output}`);
  });
  exited.catch(() => {}); // its exit after the test is not a failure
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await Promise.race([
      fetch(`${url}-/ping`).then((response) => response.ok, () => false),
      exited,
    ]);
    if (ready) return url;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Verdaccio did not answer on ${url} within 20 s:\n${output}`);
}

/** Creates a user through the registry's `npm adduser` endpoint and resolves with its token. */
async function publishToken(registry: string): Promise<string> {
  const name = 'release';
  const response = await fetch(`${registry}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `pw-${process.pid}-${Date.now()}`, type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token) throw new Error(`the registry refused to create a user (${response.status}): ${JSON.stringify(body)}`);
  return body.token;
}

/** Starts the vendor's fake and runs a first program in the app against it, with what npm installed. */
async function getToken(vendor: string, app: string): Promise<string> {
  const module = (await import(pathToFileURL(join(repoRoot, 'packages/testkit/src/vendors', `${vendor}.ts`)).href)) as Record<string, unknown>;
  const start = module[`start${pascalCase(vendor)}Fake`] as () => Promise<{
    url: string;
    clientId: string;
    clientSecret?: string;
    /** Further options the vendor's client needs (WeCom's `application`). */
    clientOptions?: Record<string, unknown>;
    issueCode?: (options: { redirectUri: string }) => string;
    close(): Promise<void>;
  }>;
  const fake = await start();
  try {
    copyFileSync(join(import.meta.dirname, 'registry-test/first-program.mjs'), join(app, 'first-program.mjs'));
    // Asynchronously: the fake answers from this process's event loop.
    const { stdout } = await promisify(execFile)(process.execPath, ['first-program.mjs'], {
      cwd: app,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'],
        VENDOR: vendor,
        FACTORY: `create${pascalCase(vendor)}Client`,
        FAKE_URL: fake.url,
        FAKE_CLIENT_ID: fake.clientId,
        FAKE_CLIENT_SECRET: fake.clientSecret ?? '',
        FAKE_CLIENT_OPTIONS: JSON.stringify(fake.clientOptions ?? {}),
        FAKE_CODE: fake.issueCode?.({ redirectUri: REDIRECT_URI }) ?? '',
        FAKE_REDIRECT_URI: REDIRECT_URI,
      },
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the first program failed with @token-clients/${vendor}:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    });
    return stdout.trim();
  } finally {
    await fake.close();
  }
}

function git(cwd: string, ...argv: string[]): string {
  return run(cwd, 'git', ['-c', 'user.name=token-clients CI', '-c', 'user.email=ci@token-clients.invalid', '-c', 'commit.gpgsign=false', ...argv]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function step(title: string): void {
  console.log(`\n--- ${title} (${seconds()} s)`);
}

function seconds(): string {
  return ((Date.now() - started) / 1000).toFixed(1);
}
