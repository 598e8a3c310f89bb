#!/usr/bin/env node
// The `token-clients` bin. A committed launcher rather than dist/cli.js itself, so that `pnpm install` in the
// repository can link the bin before the package is built (it warns about a bin whose file does not exist yet).
import '../dist/cli.js';
