import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps in the package: they would double its size on disk (see scripts/pack-test.mjs), and the
  // bundle is readable, unminified JavaScript whose stack traces need no map.
  sourcemap: false,
  target: 'node20',
});
