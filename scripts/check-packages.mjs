#!/usr/bin/env node
// Lints every publishable package as npm would receive it: `pnpm pack` (so `workspace:` ranges are rewritten and
// only "files" go in), then publint (strict: warnings fail) and @arethetypeswrong/cli (profile "strict": node10,
// node16 from CommonJS, node16 from ESM, bundler) on that tarball; and one runtime trap neither sees: a CommonJS build
// that reads a dependency's default export the Node way (esbuild's `__toESM(require(…), 1)`), which is `undefined`
// for Babel-style CommonJS such as openapi-fetch's (the fix is in packages/dushu/tsup.config.ts); and that the
// package stands alone: a LICENSE, a README without links into the repository, dependency ranges rather than pins.
//
//   node scripts/check-packages.mjs [package-dir …]      (default: every non-private packages/*; run `pnpm build` first)
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { publishablePackages, repoRoot } from './lib/workspace-packages.mjs';

const run = promisify(execFile);
const only = process.argv.slice(2);
const packages = publishablePackages().filter((pkg) => only.length === 0 || only.includes(pkg.dir));
if (packages.length === 0) {
  console.error(`check-packages: no publishable package matches ${only.join(', ')}`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'token-clients-check-'));
const results = [];
try {
  // Packing is cheap and sequential (pnpm may lock); the checks run concurrently.
  for (const pkg of packages) {
    if (!existsSync(join(pkg.path, 'dist'))) {
      results.push({ pkg, failures: [`packages/${pkg.dir}/dist is missing: run \`pnpm build\` first`], lines: [] });
      continue;
    }
    try {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', work, '--json'], { cwd: pkg.path });
      const packed = JSON.parse(stdout.slice(stdout.indexOf('{')));
      const lines = [`packed: ${packed.files.map((file) => file.path).sort().join(', ')}`];
      if (!packed.files.some((file) => /^readme\.md$/i.test(file.path))) lines.push('warning: no README.md: the npm page of the package will be empty');
      results.push({ pkg, tarball: packed.filename, failures: [], lines });
    } catch (error) {
      const reason = /"message": "(.*)"/.exec(error.stdout ?? '')?.[1] ?? error.message;
      results.push({ pkg, failures: [`pnpm pack failed: ${reason}`], lines: [] });
    }
  }
  await Promise.all(
    results.filter((result) => result.tarball).map((result) => Promise.all([lint(result), types(result), interop(result), standsAlone(result)])),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

let failed = 0;
for (const { pkg, failures, lines } of results) {
  console.log(`\n${failures.length === 0 ? 'ok  ' : 'FAIL'} ${pkg.name}@${pkg.version} (packages/${pkg.dir})`);
  for (const line of lines) console.log(`     ${line}`);
  for (const failure of failures) console.log(`     ✗ ${failure.replaceAll('\n', '\n       ')}`);
  if (failures.length > 0) failed += 1;
}
console.log(`\n${results.length - failed} of ${results.length} packages pass the package checks${failed ? `; ${failed} fail` : ''}.`);
process.exitCode = failed ? 1 : 0;

/** publint on the tarball; strict, so a warning fails like an error. Suggestions are shown but pass. */
async function lint(result) {
  const buffer = readFileSync(result.tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) },
    strict: true,
    level: 'suggestion',
  });
  const errors = messages.filter((message) => message.type !== 'suggestion');
  const suggestions = messages.filter((message) => message.type === 'suggestion');
  for (const message of errors) result.failures.push(`publint ${message.type}: ${formatMessage(message, pkg, { color: false })}`);
  for (const message of suggestions) result.lines.push(`publint suggestion: ${formatMessage(message, pkg, { color: false })}`);
  if (messages.length === 0) result.lines.unshift('publint: no problems');
}

/**
 * What the registry page and an app's install see must stand on their own: a LICENSE (package.json says MIT);
 * a README whose links resolve there (only absolute URLs and anchors: a relative link points into the repository,
 * which is not in the tarball); and dependency ranges, not exact pins, so an app shares one copy of each
 * dependency with the packages (an exact `openapi-fetch` pin makes an app on another patch install two).
 */
async function standsAlone(result) {
  const { stdout: list } = await run('tar', ['-tzf', result.tarball]);
  if (!list.split('\n').some((path) => /^package\/licen[sc]e(\.md|\.txt)?$/i.test(path))) {
    result.failures.push('no LICENSE in the package: add packages/<dir>/LICENSE (and "LICENSE" to "files")');
  }
  const { stdout: readme } = await run('tar', ['-xOzf', result.tarball, 'package/README.md']).catch(() => ({ stdout: '' }));
  const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^(https?:|mailto:|#)/.test(target));
  if (relative.length > 0) {
    result.failures.push(`README.md links to files that are not in the package (broken on the registry page): ${[...new Set(relative)].join(', ')}`);
  }
  const { stdout: manifestText } = await run('tar', ['-xOzf', result.tarball, 'package/package.json']);
  const manifest = JSON.parse(manifestText);
  const pinned = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(([, range]) => /^=?\d+\.\d+\.\d+(-[\w.]+)?$/.test(String(range)));
  for (const [name, version] of pinned) {
    result.failures.push(`"${name}": "${version}" is an exact pin: an app with another ${name} gets two copies; use "^${String(version).replace(/^=/, '')}"`);
  }
}

/** The packed CommonJS files must not take a dependency's `.default` through Node-mode interop. */
async function interop(result) {
  const { stdout } = await run('tar', ['-xOzf', result.tarball, '--wildcards', 'package/*.cjs'], { maxBuffer: 64 * 1024 * 1024 }).catch(() => ({ stdout: '' }));
  for (const [, binding, dependency] of stdout.matchAll(/var (\w+) = __toESM\(require\("([^"]+)"\), 1\)/g)) {
    if (stdout.includes(`${binding}.default`)) {
      result.failures.push(
        `the CommonJS build takes the default export of "${dependency}" in Node mode (\`__toESM(require("${dependency}"), 1)\`): ` +
          `undefined at run time when "${dependency}" is Babel-style CommonJS. Use the shim of packages/dushu/tsup.config.ts.`,
      );
    }
  }
}

/** attw on the tarball: every entry point must resolve to types and code of the right format in every mode. */
async function types(result) {
  const attw = join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  let output;
  try {
    ({ stdout: output } = await run(process.execPath, [attw, result.tarball, '--format', 'json', '--profile', 'strict'], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    // attw exits 1 when it finds problems; its JSON is still on stdout.
    if (!error.stdout) {
      result.failures.push(`attw did not run: ${error.message}`);
      return;
    }
    output = error.stdout;
  }
  const { analysis } = JSON.parse(output);
  if (!analysis.types || !analysis.entrypoints) {
    result.failures.push(`attw found no types in the package (${JSON.stringify(analysis.types ?? null)}): is dist/ built?`);
    return;
  }
  const found = analysis.problems ?? [];
  const short = (file) => file?.replace(`/node_modules/${analysis.packageName}/`, '');
  for (const problem of found) {
    const files = [problem.entrypoint, problem.resolutionKind, short(problem.typesFileName), short(problem.implementationFileName), short(problem.fileName)].filter(Boolean);
    result.failures.push(
      `attw ${problem.kind}${files.length ? ` (${files.join(', ')})` : ''}: https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/${problem.kind}.md`,
    );
  }
  result.lines.push(`attw (node10, node16 from CJS and ESM, bundler): ${found.length === 0 ? 'no problems' : `${found.length} problem(s)`}`);
  const strip = (file) => file?.replace(`/node_modules/${analysis.packageName}/`, '') ?? 'unresolved';
  for (const [subpath, entrypoint] of Object.entries(analysis.entrypoints)) {
    const modes = Object.entries(entrypoint.resolutions).map(
      ([kind, { resolution, implementationResolution }]) => `${kind} ${strip(resolution?.fileName)} → ${strip(implementationResolution?.fileName)}`,
    );
    result.lines.push(`attw "${subpath}": ${modes.join(', ')}`);
  }
}
