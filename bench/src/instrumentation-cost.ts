/**
 * Instrumentation cost: the cache hit (`await getAccessToken()` on a warm provider) with the diagnostics
 * channels, `token_served` and the logger compiled in but nobody subscribed, against the same provider built
 * with its reporter compiled out. Goal: ≤ 1.05×.
 *
 * Both builds are core's own TypeScript source, copied into two temporary directories and loaded through tsx
 * in this one process; in the second copy `diagnostics.ts` exports `SilentReporter` as its `ProviderReporter`
 * (the rest of the module is the real one). Nothing else differs, and the two are measured in interleaved rounds.
 */
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { interleave, medians, nsPerOp } from './stats.js';
import { ns, ratio, yesNo, type BenchOptions, type BenchResult } from './table.js';

const coreSource = fileURLToPath(new URL('../../packages/core/src/', import.meta.url));
const silentReporter = fileURLToPath(new URL('./silent-reporter.ts', import.meta.url));

type CoreModule = typeof import('../../packages/core/src/index.js');

/** One copy of core's source, loaded as its own module graph; `silent` swaps the reporter out. */
async function loadCore(dir: string, silent: boolean): Promise<CoreModule> {
  cpSync(coreSource, dir, { recursive: true });
  if (silent) {
    // An explicit export shadows the same name of an `export *`: only the reporter is replaced.
    renameSync(join(dir, 'diagnostics.ts'), join(dir, 'diagnostics-real.ts'));
    writeFileSync(
      join(dir, 'diagnostics.ts'),
      `export * from './diagnostics-real.js';\nexport { SilentReporter as ProviderReporter } from ${JSON.stringify(pathToFileURL(silentReporter).href)};\n`,
    );
  }
  return (await import(pathToFileURL(join(dir, 'index.ts')).href)) as CoreModule;
}

/** A warm provider of `core`: one token in its memory store, valid for an hour. */
async function warmProvider(core: CoreModule) {
  const provider = core.createTokenProvider({
    key: 'bench',
    requestToken: async () => ({ accessToken: 'bench-token', tokenType: 'bearer', expiresAt: Date.now() + 3_600_000, raw: {} }),
  });
  await provider.getAccessToken();
  return provider;
}

export async function instrumentationCost({ quick }: BenchOptions): Promise<BenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'token-clients-bench-'));
  // As in packages/core: the copies are ES modules.
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  try {
    const [instrumented, bypassed] = await Promise.all([loadCore(join(root, 'instrumented'), false), loadCore(join(root, 'bypassed'), true)]);
    const on = await warmProvider(instrumented);
    const off = await warmProvider(bypassed);
    const iterations = quick ? 2_000 : 200_000;
    const rounds = quick ? 3 : 31;
    const hit = medians(
      await interleave(
        {
          instrumented: () => nsPerOp(() => on.getAccessToken(), iterations),
          bypassed: () => nsPerOp(() => off.getAccessToken(), iterations),
        },
        { rounds, warmupRounds: quick ? 1 : 3 },
      ),
    );
    await Promise.all([on.close(), off.close()]);
    return {
      rows: [
        {
          benchmark: 'Cache hit, instrumentation on but unsubscribed vs compiled out',
          ours: ns(hit.instrumented),
          baseline: ns(hit.bypassed),
          ratio: ratio(hit.instrumented, hit.bypassed),
          goal: '≤ 1.05×',
          met: yesNo(hit.instrumented <= 1.05 * hit.bypassed),
        },
      ],
      notes: [
        `Instrumentation cost: \`await getAccessToken()\` on a warm provider, ${iterations.toLocaleString('en')} calls per ` +
          `sample, ${rounds} interleaved rounds, median ns per call. Both providers are built from core's source in one ` +
          `process; the baseline's \`ProviderReporter\` (in \`diagnostics.ts\`) is replaced by one that reports nothing (bench/src/silent-reporter.ts).`,
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
