import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * openapi-fetch's CommonJS build is Babel-style (`exports.default = createClient` beside `__esModule`). Our
 * packages are `"type": "module"`, so esbuild compiles `import createClient from 'openapi-fetch'` for the CJS build
 * the way Node itself would (default = `module.exports`), and `createClient` would not be a function for every
 * `require()` user. The CJS build therefore takes openapi-fetch's default export through a one-line shim that
 * esbuild compiles in its ordinary (`__esModule`-aware) mode; openapi-fetch stays external in both builds.
 * scripts/check-packages.mjs and scripts/pack-test.mjs check this with `require`.
 */
const openapiFetchDefaultForCjs: EsbuildPlugin = {
  name: 'openapi-fetch-default-for-cjs',
  setup(build) {
    const namespace = 'openapi-fetch-default';
    build.onResolve({ filter: /^openapi-fetch$/ }, (args) =>
      build.initialOptions.format !== 'cjs' || args.namespace === namespace ? { path: args.path, external: true } : { path: args.path, namespace },
    );
    build.onLoad({ filter: /.*/, namespace }, () => ({ contents: "export { default } from 'openapi-fetch';", loader: 'js' }));
  },
};

/** The build of every published package: ESM and CommonJS from `src/index.ts`, with types for both. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps in the package: they would double its size on disk (see scripts/pack-test.mjs), and the
  // bundle is readable, unminified JavaScript whose stack traces need no map.
  sourcemap: false,
  target: 'node20',
  // Class and function names survive bundling: without it esbuild renames a class that collides in the bundle
  // (`_TokenError`), and that is what `TokenError.name` and uncaught errors' stack traces then show.
  keepNames: true,
  // tsup's own externals would claim openapi-fetch before the plugin sees it; the plugin keeps it external.
  noExternal: [/^openapi-fetch$/],
  esbuildPlugins: [openapiFetchDefaultForCjs],
});
