import { defineConfig } from 'tsup';
import shared from '../../tsup.shared.js';

// The shared build, plus two more entries: the typed client (`@token-clients/server/client`) and the bin.
export default defineConfig({
  ...(shared as object),
  entry: ['src/index.ts', 'src/client.ts', 'src/cli.ts'],
});
