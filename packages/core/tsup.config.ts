// Every published package builds alike (tsup.shared.ts at the repository's root); core has a second entry, the
// `@token-clients/core/vendor-kit` subpath.
import { defineConfig } from 'tsup';
import shared from '../../tsup.shared.js';

export default defineConfig({ ...shared, entry: ['src/index.ts', 'src/vendor-kit.ts'] });
