#!/usr/bin/env node
// Installs what a user installs, the way a user installs it, and uses it.
//
//   node scripts/pack-test.mjs [vendor] [--keep]      (vendor: default dushu; run `pnpm build` first)
//
// `pnpm pack`s @token-clients/core and @token-clients/<vendor> (pnpm turns `workspace:^` into real ranges),
// installs the two tarballs with plain npm into an empty directory outside the workspace, and there:
//   1. imports both as ESM and requires both as CommonJS;
//   2. type-checks an ESM (.mts) and a CommonJS (.cts) consumer with tsc under Node16 resolution, and checks that
//      a consumer with a misspelt client option and a misspelt token-request field fails on exactly those lines;
//   3. gets a token from the vendor's fake (started from the testkit source) through both builds;
//   4. prints the installed footprint (packages, bytes on disk) against the goal.
// TypeScript and @types/node come from the repository by path, so the footprint counts only what a user installs.
// The consumer's code is in scripts/pack-test/consumer/*.tmpl; the token request it types is read from the spec.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pascalCase, repoRoot, workspacePackages } from './lib/workspace-packages.mjs';

/** The issue's goal for one vendor, all dependencies included. */
const GOAL = { packages: 5, kB: 450 };
const started = Date.now();

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: node scripts/pack-test.mjs [vendor (default dushu)] [--keep]   (run `pnpm build` first)');
  process.exit(0);
}
const keep = args.includes('--keep');
const vendor = args.find((arg) => !arg.startsWith('--')) ?? 'dushu';
const Vendor = pascalCase(vendor);

const packages = new Map(workspacePackages().map((pkg) => [pkg.dir, pkg]));
for (const dir of ['core', vendor]) {
  const pkg = packages.get(dir);
  if (!pkg || pkg.private) fail(`packages/${dir} is not a publishable package`);
  if (!existsSync(join(pkg.path, 'dist'))) fail(`packages/${dir}/dist is missing: run \`pnpm build\` first`);
}

const work = mkdtempSync(join(tmpdir(), `token-clients-pack-${vendor}-`));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);
let fakeProcess;
let failed = false;

try {
  step(`pnpm pack core and ${vendor}`);
  const files = ['core', vendor].map((dir) => {
    const out = run('pnpm', ['pack', '--pack-destination', tarballs, '--json'], { cwd: packages.get(dir).path });
    const packed = JSON.parse(out.slice(out.indexOf('{')));
    // `<subpath>/package.json`: the stub that resolves a subpath export (core's vendor-kit) for node10 resolution.
    const unexpected = packed.files.map((file) => file.path).filter((path) => !/^(dist\/|package\.json$|README\.md$|LICENSE|CHANGELOG\.md$|[a-z-]+\/package\.json$)/.test(path));
    if (unexpected.length > 0) throw new Error(`${packed.name} packs files a user does not need: ${unexpected.join(', ')}`);
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', packed.filename, 'package/package.json'], { encoding: 'utf8' }));
    const workspaceRanges = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(([, range]) => String(range).startsWith('workspace:'));
    if (workspaceRanges.length > 0) throw new Error(`${packed.name}'s packed package.json still has workspace: ranges`);
    console.log(`  ${packed.name}@${packed.version}: ${packed.files.length} files, ${kB(lstatSync(packed.filename).size)} packed`);
    return packed.filename;
  });

  step(`npm install the tarballs into an empty directory (${app})`);
  run('npm', ['init', '-y'], { cwd: app });
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: app });
  const footprint = measure(join(app, 'node_modules'));
  console.log(`  installed: ${footprint.packages.join(', ')}`);

  step('import as ESM, require as CommonJS');
  const checks = `
    const same = core.TokenError === vendor.TokenError;
    const names = ['create${Vendor}Client', 'TokenError'].filter((name) => typeof vendor[name] !== 'function');
    const coreNames = ['createTokenProvider', 'MemoryStore', 'TokenError', 'bearerAuth'].filter((name) => typeof core[name] !== 'function');
    if (names.length || coreNames.length || !same) { console.error('missing', names, coreNames, 'same TokenError', same); process.exit(1); }
    const client = vendor.create${Vendor}Client({ clientId: 'id', clientSecret: 'secret', baseUrl: 'https://vendor.example' });
    if (typeof client.requestToken !== 'function' || typeof client.api?.POST !== 'function') { console.error('create${Vendor}Client made no working client'); process.exit(1); }`;
  run(process.execPath, ['--input-type=module', '-e', `import * as core from '@token-clients/core'; import * as vendor from '@token-clients/${vendor}'; ${checks} console.log('  ESM: ok');`], { cwd: app, echo: true });
  run(process.execPath, ['-e', `const core = require('@token-clients/core'); const vendor = require('@token-clients/${vendor}'); ${checks} console.log('  CommonJS: ok');`], { cwd: app, echo: true });

  step('type-check consumers with tsc (Node16 resolution)');
  const call = tokenCall(vendor);
  const values = {
    __vendor__: vendor,
    __Vendor__: Vendor,
    __TOKEN_CALL__: call.good,
    __TOKEN_PATH__: call.path,
    __WRONG_TOKEN_CALL__: call.wrong,
    __WRONG_FIELD__: call.wrongField,
    __WRONG_OPTION__: 'client_secret',
    __TYPE_ROOTS__: JSON.stringify(join(repoRoot, 'node_modules/@types')),
  };
  for (const name of ['consumer.mts', 'consumer.cts', 'wrong-field.mts', 'get-token.mjs', 'get-token.cjs']) template(name, values);
  writeFileSync(join(app, 'tsconfig.json'), fill(read('tsconfig.json.tmpl'), { ...values, __FILES__: '"consumer.mts", "consumer.cts"' }));
  writeFileSync(join(app, 'tsconfig.wrong.json'), fill(read('tsconfig.json.tmpl'), { ...values, __FILES__: '"wrong-field.mts"' }));
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app });
  console.log('  consumer.mts and consumer.cts compile');
  checkWrongField(tsc);

  step(`get a token from the ${vendor} fake`);
  const fake = await startFake(vendor);
  const env = { ...process.env, FAKE_URL: fake.url, FAKE_CLIENT_ID: fake.clientId, FAKE_CLIENT_SECRET: fake.clientSecret };
  for (const script of ['get-token.mjs', 'get-token.cjs']) {
    const result = JSON.parse(run(process.execPath, [script], { cwd: app, env }).trim());
    if (!(result.length > 0 && result.expiresInS > 0)) throw new Error(`${script} got no usable token: ${JSON.stringify(result)}`);
    console.log(`  ${result.build}: a ${result.tokenType} token of ${result.length} characters, expiring in ${result.expiresInS} s`);
  }

  step('footprint');
  const within = footprint.packages.length <= GOAL.packages && footprint.onDisk <= GOAL.kB * 1000;
  console.log(`  @token-clients/${vendor}: ${footprint.packages.length} packages, ${kB(footprint.onDisk)} on disk (du), ${kB(footprint.apparent)} apparent size`);
  for (const name of footprint.packages) {
    const one = measure(join(app, 'node_modules', name), false);
    console.log(`    ${name.padEnd(28)} ${kB(one.onDisk).padStart(9)} on disk, ${kB(one.apparent).padStart(9)} apparent`);
  }
  console.log(`  goal: at most ${GOAL.packages} packages and ${GOAL.kB} kB — ${within ? 'met' : 'NOT met'}`);
  console.log('  for comparison: google-auth-library 24 packages, 12 MB; simple-oauth2 16 packages, 3.1 MB');
  if (footprint.packages.length > GOAL.packages) throw new Error(`installing @token-clients/${vendor} pulls in ${footprint.packages.length} packages`);
  if (!within) console.log(`::warning::@token-clients/${vendor} installs ${kB(footprint.onDisk)}, over the ${GOAL.kB} kB goal`);
  console.log(`\npack test passed for @token-clients/${vendor}`);
} catch (error) {
  failed = true;
  console.error(`\npack test FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  fakeProcess?.kill('SIGTERM');
  if (keep || failed) console.log(`(work directory kept: ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/** The consumer with the misspelt option and request field must fail, on exactly the marked lines, naming them. */
function checkWrongField(tsc) {
  const source = readFileSync(join(app, 'wrong-field.mts'), 'utf8').split('\n');
  const expected = new Map();
  source.forEach((line, index) => {
    const marker = /\/\/ WRONG: (\S+)/.exec(line);
    if (marker) expected.set(index + 1, marker[1]);
  });
  let output = '';
  try {
    run(process.execPath, [tsc, '-p', 'tsconfig.wrong.json', '--pretty', 'false'], { cwd: app });
    throw new Error('wrong-field.mts compiled: a misspelt field is not a type error');
  } catch (error) {
    if (!error.stdout) throw error;
    output = error.stdout;
  }
  // Errors start at column 0 as `file(line,col): error TSxxxx: …`; their elaborations are indented under them.
  const errors = [];
  for (const line of output.split('\n')) {
    const head = /^wrong-field\.mts\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (head) errors.push({ line: Number(head[1]), code: head[2], text: head[3] });
    else if (/^\S/.test(line) && line.trim()) errors.push({ line: 0, code: '', text: line });
    else if (errors.length > 0) errors.at(-1).text += `\n${line}`;
  }
  const unexpected = errors.filter((error) => !expected.has(error.line));
  const missing = [...expected].filter(([line, field]) => !errors.some((error) => error.line === line && (error.text.includes(`'${field}'`) || error.text.includes(`'"${field}"'`))));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new Error(`wrong-field.mts: expected errors naming ${[...expected.values()].join(' and ')} on lines ${[...expected.keys()].join(', ')}; tsc said:\n${output}`);
  }
  for (const error of errors) console.log(`  wrong-field.mts:${error.line} fails as it must: ${error.code} ${error.text.split('\n')[0]}`);
}

/**
 * The spec's token request as openapi-fetch calls, one correct and one with the last required field misspelt.
 * The token operation is the first POST (else GET) whose path mentions "token"; its fields are the required query
 * parameters, or else the required properties of the request body.
 */
function tokenCall(name) {
  const { parse } = createRequire(join(repoRoot, 'packages/testkit/package.json'))('yaml');
  const spec = parse(readFileSync(join(repoRoot, 'specs', `${name}.yaml`), 'utf8'));
  const deref = (node) => {
    let current = node;
    while (current?.$ref) current = current.$ref.slice(2).split('/').reduce((at, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
    return current;
  };
  const operations = Object.entries(spec.paths ?? {})
    .filter(([path]) => /token/i.test(path))
    .flatMap(([path, item]) => ['post', 'get'].filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] })))
    .sort((a, b) => (a.method === b.method ? 0 : a.method === 'post' ? -1 : 1));
  const found = operations[0];
  if (!found) throw new Error(`specs/${name}.yaml has no token operation (a path mentioning "token")`);
  const sample = (schema = {}) => {
    const resolved = deref(schema) ?? {};
    if (resolved.const !== undefined) return resolved.const;
    if (Array.isArray(resolved.enum)) return resolved.enum[0];
    const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type;
    return type === 'integer' || type === 'number' ? 1 : type === 'boolean' ? true : 'x';
  };
  let fields;
  let place;
  const query = (found.operation.parameters ?? []).map(deref).filter((parameter) => parameter.in === 'query' && parameter.required);
  if (query.length > 0) {
    fields = query.map((parameter) => [parameter.name, sample(parameter.schema)]);
    place = (object) => `{ params: { query: ${object} } }`;
  } else {
    const content = deref(found.operation.requestBody)?.content ?? {};
    let schema = deref(Object.values(content)[0]?.schema);
    // A body that is one of several grants' shapes: take the client-credentials one, else the first.
    const alternatives = (schema?.oneOf ?? schema?.anyOf)?.map(deref);
    if (alternatives) schema = alternatives.find((alternative) => deref(alternative.properties?.grant_type)?.const === 'client_credentials') ?? alternatives[0];
    const required = schema?.required ?? [];
    if (required.length === 0) throw new Error(`specs/${name}.yaml: the token operation has no required query parameter or body field`);
    fields = required.map((field) => [field, sample(schema.properties?.[field])]);
    place = (object) => `{ body: ${object} }`;
  }
  const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
  const literal = (entries) => `{ ${entries.map(([name, value]) => `${key(name)}: ${JSON.stringify(value)}`).join(', ')} }`;
  const [lastName, lastValue] = fields.at(-1);
  const wrongField = lastName + lastName.at(-1);
  const call = (entries) => `client.api.${found.method.toUpperCase()}(${JSON.stringify(found.path)}, ${place(literal(entries))})`;
  return { path: found.path, good: call(fields), wrong: call([...fields.slice(0, -1), [wrongField, lastValue]]), wrongField };
}

/** Starts the vendor's fake from the testkit source in the repository; resolves with its URL and credentials. */
function startFake(name) {
  return new Promise((resolve, reject) => {
    fakeProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/pack-test/serve-fake.ts', name], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
    let buffer = '';
    fakeProcess.stdout.on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffer.slice(0, newline)));
    });
    fakeProcess.on('exit', (code) => reject(new Error(`the ${name} fake exited (${code}) before it was ready`)));
  });
}

/**
 * Packages installed under `node_modules` (nested ones included) and its size: on disk (as du counts it) and
 * apparent. With `isNodeModules` false, `nodeModules` is one package's directory and only its size counts.
 */
function measure(nodeModules, isNodeModules = true) {
  const found = [];
  let onDisk = 0;
  let apparent = 0;
  const walk = (dir, packageDepth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const stat = lstatSync(path);
      onDisk += stat.blocks * 512;
      apparent += stat.size;
      if (!entry.isDirectory()) continue;
      if (packageDepth === 1 && !entry.name.startsWith('.')) {
        if (entry.name.startsWith('@')) walk(path, 1);
        else {
          found.push(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
          walk(path, 0);
        }
      } else walk(path, entry.name === 'node_modules' ? 1 : 0);
    }
  };
  const root = lstatSync(nodeModules);
  onDisk += root.blocks * 512;
  apparent += root.size;
  walk(nodeModules, isNodeModules ? 1 : 0);
  return { packages: found.sort(), onDisk, apparent };
}

function template(name, values) {
  writeFileSync(join(app, name), fill(read(`${name}.tmpl`), values));
}

function read(name) {
  return readFileSync(join(import.meta.dirname, 'pack-test/consumer', name), 'utf8');
}

function fill(text, values) {
  return text.replace(/__[A-Za-z_]+?__/g, (key) => (key in values ? values[key] : key));
}

function run(command, argv, { cwd, env, echo = false } = {}) {
  const out = execFileSync(command, argv, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (echo && out.trim()) console.log(out.trimEnd());
  return out;
}

function step(title) {
  console.log(`\n--- ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function kB(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

function fail(message) {
  console.error(`pack test: ${message}`);
  process.exit(1);
}
