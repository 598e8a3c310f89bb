// `pnpm docs`: renders the API docs of every specs/*.yaml into docs/ — one offline page per vendor
// (`redocly build-docs --inlineBundle`) and docs/index.html, which lists the vendors, links their pages and
// shows for each how its answers map onto TokenSet and TokenError (from the spec's own `info.x-token-set`).
// Exits non-zero, after building everything it can, when a spec cannot be rendered or its x-token-set is
// malformed. The work is in scripts/docs/build.mjs; `pnpm docs:serve` serves the result.
import { relative } from 'node:path';
import { buildDocs, REPO_ROOT } from './docs/build.mjs';

try {
  const result = await buildDocs({ log: (line) => console.log(line) });
  const missing = result.vendors.filter((vendor) => !vendor.hasTokenSet && !vendor.isService && vendor.problems.length === 0);
  if (missing.length > 0) {
    console.warn(`note: no info.x-token-set in ${missing.map((vendor) => vendor.specFile).join(', ')}: the index says so`);
  }
  if (result.problems.length > 0) {
    console.error(`\n${result.problems.length} problem(s):\n${result.problems.map((problem) => `  - ${problem}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`docs built in ${(result.ms / 1000).toFixed(1)} s: open ${relative(process.cwd(), `${REPO_ROOT}/docs/index.html`) || 'docs/index.html'} or run \`pnpm docs:serve\``);
  }
} catch (error) {
  console.error(`docs build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
