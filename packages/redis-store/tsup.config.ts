import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps in the package: they would double its size on disk; the bundle is readable JavaScript.
  sourcemap: false,
  target: 'node20',
});
