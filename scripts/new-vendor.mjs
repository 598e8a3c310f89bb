#!/usr/bin/env node
// `pnpm new-vendor <name> [--title "Acme Cloud"] [--base-url https://auth.acme.example] [--no-generate]`
//
// Scaffolds a sixth vendor in dushu's shape, from the templates in scripts/new-vendor/:
//   specs/<name>.yaml                           an RFC 6749 client-credentials token endpoint (POST /oauth/token, form body)
//   packages/<name>/                            @token-clients/<name>: package.json, README, turbo.json (its spec as the
//                                               generate input), tsup/vitest/ts configs, src/ (client, normaliser,
//                                               index, generated schema) and test/ (against the fake)
//   packages/testkit/src/vendors/<name>.ts      the fake, importable as '@token-clients/testkit/vendors/<name>'
//   .changeset/<name>-initial-release.md        its first changeset (minor)
// and registers the spec in redocly.yaml so `pnpm lint:specs` covers it. No other file is touched: turbo, pnpm, the
// docs and the test runs find the new package by their globs. Then: `pnpm install`, `pnpm build`, `pnpm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pascalCase, repoRoot, workspacePackages } from './lib/workspace-packages.mjs';

const TEMPLATES = join(import.meta.dirname, 'new-vendor');
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const USAGE = 'usage: pnpm new-vendor <name> [--title "Display Name"] [--base-url https://auth.vendor.example] [--no-generate]';

const { name, title, baseUrl, generate } = parseArguments(process.argv.slice(2));
const problem = nameProblem(name);
if (problem) fail(problem);

const vars = variables(name, title, baseUrl);
const outputs = [
  ['spec.yaml.tmpl', `specs/${name}.yaml`],
  ['testkit-fake.ts.tmpl', `packages/testkit/src/vendors/${name}.ts`],
  ...templatesUnder('package').map((template) => [template, `packages/${name}/${template.slice('package/'.length).replace(/\.tmpl$/, '')}`]),
];
const changeset = `.changeset/${name}-initial-release.md`;
for (const target of [...outputs.map(([, target]) => target), changeset]) {
  if (existsSync(join(repoRoot, target))) fail(`${target} already exists`);
}

for (const [template, target] of outputs) write(target, fill(readFileSync(join(TEMPLATES, template), 'utf8'), vars));
write(
  changeset,
  `---\n'@token-clients/${name}': minor\n---\n\nInitial release: a typed client for ${title}'s client-credentials token endpoint, generated from its OpenAPI spec, with a cached, refresh-ahead token provider.\n`,
);
registerInRedocly(name);
console.log('  updated redocly.yaml (the spec is linted by `pnpm lint:specs`)');

if (generate) {
  const openapiTypescript = join(repoRoot, 'node_modules/.bin/openapi-typescript');
  if (existsSync(openapiTypescript)) {
    // As the package's own `generate` script runs it: from the package directory (at the root, openapi-typescript
    // would read redocly.yaml's `apis` instead of its arguments).
    try {
      execFileSync(openapiTypescript, [`../../specs/${name}.yaml`, '-o', 'src/generated/schema.ts'], { cwd: join(repoRoot, 'packages', name), stdio: 'pipe' });
      console.log(`  generated packages/${name}/src/generated/schema.ts`);
    } catch (error) {
      const lines = String(error.stderr ?? error.message).split('\n');
      const reason = lines.find((line) => /Error\b/.test(line))?.trim() ?? lines.find(Boolean);
      console.log(`  could not generate the schema: ${reason}`);
      process.exitCode = 1;
    }
  } else {
    console.log('  (openapi-typescript is not installed yet: `pnpm build` generates the schema)');
  }
}

console.log(`
@token-clients/${name} is scaffolded. Next:
  pnpm install                                   # links the new package into the workspace
  pnpm build --filter @token-clients/${name}      # generates src/generated/ from the spec, then builds
  pnpm --filter @token-clients/${name} test       # its tests, against the fake in packages/testkit
Then make it the vendor's: edit specs/${name}.yaml from the vendor's document (and its rulings), the definition in
packages/${name}/src/client.ts, the reader in packages/${name}/src/read-token-response.ts and the fake in
packages/testkit/src/vendors/${name}.ts, and run \`pnpm build\` again.`);

/** The reason `candidate` cannot be a new vendor's name, or `undefined`. */
function nameProblem(candidate) {
  if (!candidate) return USAGE;
  if (!NAME_PATTERN.test(candidate)) {
    return `"${candidate}" is not a valid vendor name: use lowercase letters, digits and single hyphens, starting with a letter (e.g. acme-cloud)`;
  }
  if (candidate.length > 40) return `"${candidate}" is too long (at most 40 characters)`;
  const taken = workspacePackages().find((pkg) => pkg.dir === candidate || pkg.name === `@token-clients/${candidate}`);
  if (taken) return `"${candidate}" is taken: packages/${taken.dir} (${taken.name}) already exists`;
  for (const path of [`packages/${candidate}`, `specs/${candidate}.yaml`, `packages/testkit/src/vendors/${candidate}.ts`]) {
    if (existsSync(join(repoRoot, path))) return `"${candidate}" is taken: ${path} already exists`;
  }
  if (new RegExp(`^  ${candidate}:`, 'm').test(readFileSync(join(repoRoot, 'redocly.yaml'), 'utf8'))) {
    return `"${candidate}" is taken: redocly.yaml already lists an API of that name`;
  }
  return undefined;
}

/** The values the templates' `{{…}}` placeholders take. */
function variables(vendor, displayName, server) {
  const Name = pascalCase(vendor);
  const NAME = vendor.toUpperCase().replaceAll('-', '_');
  const base = {
    name: vendor,
    Name,
    NAME,
    camel: Name[0].toLowerCase() + Name.slice(1),
    title: displayName,
    openapiFetchVersion: openapiFetchVersion(),
  };
  const serverVars = server
    ? {
        baseUrlLiteral: `'${server}'`,
        baseUrlPolicy: `{ default: '${server}' }`,
        baseUrlDoc: `${displayName}'s documented server, and so the default \`baseUrl\`.`,
        serverUrl: server,
        serverDescription: "The vendor's server, and so the client's default.",
        usageBaseUrl: '',
        specUsageBaseUrl: '',
        exampleBaseUrl: '',
      }
    : {
        baseUrlLiteral: 'undefined',
        baseUrlPolicy: '{ required: true }',
        baseUrlDoc:
          "No server is documented yet, so `baseUrl` is required. Put the vendor's production server here (and in the spec's `servers`) to make it the default.",
        serverUrl: `https://api.${vendor}.example`,
        serverDescription: "A placeholder — replace it with the vendor's server.",
        usageBaseUrl: `\n  baseUrl: process.env.${NAME}_BASE_URL!, // required: no server is documented`,
        specUsageBaseUrl: `\n        baseUrl: process.env.${NAME}_BASE_URL!, // required: no server is documented`,
        exampleBaseUrl: `, baseUrl: process.env.${NAME}_BASE_URL!`,
      };
  return { ...base, ...serverVars };
}

/** The openapi-fetch range the existing vendors declare, so the new one shares it (and installs offline). */
function openapiFetchVersion() {
  const versions = workspacePackages()
    .map((pkg) => pkg.manifest.dependencies?.['openapi-fetch'])
    .filter(Boolean);
  const counts = new Map();
  for (const version of versions) counts.set(version, (counts.get(version) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '^0.17.0';
}

/** Adds `<vendor>: { root: specs/<vendor>.yaml }` to the `apis:` of redocly.yaml, in alphabetical order. */
function registerInRedocly(vendor) {
  const path = join(repoRoot, 'redocly.yaml');
  const lines = readFileSync(path, 'utf8').split('\n');
  const entry = [`  ${vendor}:`, `    root: specs/${vendor}.yaml`];
  const start = lines.findIndex((line) => /^apis:\s*$/.test(line));
  if (start < 0) {
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    lines.push('apis:', ...entry, '');
  } else {
    let end = start + 1;
    while (end < lines.length && (lines[end] === '' || /^\s/.test(lines[end]) || lines[end].startsWith('#'))) end += 1;
    while (end > start + 1 && lines[end - 1] === '') end -= 1;
    let at = end;
    for (let index = start + 1; index < end; index += 1) {
      const key = /^  ([^\s:#][^:]*):/.exec(lines[index])?.[1];
      if (key !== undefined && key.localeCompare(vendor) > 0) {
        at = index;
        break;
      }
    }
    lines.splice(at, 0, ...entry);
  }
  writeFileSync(path, lines.join('\n'));
}

function templatesUnder(dir) {
  const found = [];
  const walk = (relativeDir) => {
    for (const entry of readdirSync(join(TEMPLATES, relativeDir))) {
      const path = `${relativeDir}/${entry}`;
      if (statSync(join(TEMPLATES, path)).isDirectory()) walk(path);
      else if (entry.endsWith('.tmpl')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

function fill(text, values) {
  return text.replace(/\{\{(\w+)\}\}/g, (placeholder, key) => {
    if (!(key in values)) throw new Error(`template placeholder ${placeholder} has no value`);
    return values[key];
  });
}

function write(target, content) {
  const path = join(repoRoot, target);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`  created ${relative(repoRoot, path)}`);
}

function parseArguments(argv) {
  const parsed = { name: undefined, title: undefined, baseUrl: undefined, generate: true };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) fail(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--title') parsed.title = value();
    else if (arg === '--base-url') parsed.baseUrl = value();
    else if (arg === '--no-generate') parsed.generate = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}\n${USAGE}`);
    else if (parsed.name === undefined) parsed.name = arg;
    else fail(`one vendor name only\n${USAGE}`);
  }
  if (parsed.name !== undefined && NAME_PATTERN.test(parsed.name)) {
    parsed.title ??= parsed.name.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join(' ');
  }
  if (parsed.title !== undefined && (/['"`\\{}:#\n]/.test(parsed.title) || parsed.title.trim() === '')) {
    fail('--title must be plain text (no quotes, backslashes, braces, colons, hashes or newlines)');
  }
  if (parsed.baseUrl !== undefined) {
    let url;
    try {
      url = new URL(parsed.baseUrl);
    } catch {
      fail(`--base-url ${parsed.baseUrl} is not an absolute URL`);
    }
    if (url.protocol !== 'https:' || url.search || url.hash || url.username) fail('--base-url must be a plain https:// URL');
    parsed.baseUrl = url.href.replace(/\/+$/, '');
  }
  return parsed;
}

function fail(message) {
  console.error(`new-vendor: ${message}`);
  process.exit(1);
}
