// Entry of `pnpm bench [--quick]`. The benchmarks import the testkit's TypeScript source, so they run under
// tsx; this re-executes Node with it rather than asking every caller to remember the flag.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, 'src', 'main.ts'), ...process.argv.slice(2)], {
  cwd: benchDir,
  stdio: 'inherit',
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
