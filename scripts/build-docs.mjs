// Builds one offline HTML page per vendor spec with `redocly build-docs --inlineBundle` into docs/.
// (A fuller index page and browser checks live with the docs work; this is the minimal build.)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';

mkdirSync('docs', { recursive: true });
for (const file of readdirSync('specs').filter((name) => name.endsWith('.yaml'))) {
  const vendor = file.replace(/\.yaml$/, '');
  execFileSync('pnpm', ['exec', 'redocly', 'build-docs', `specs/${file}`, '--inlineBundle', '-o', `docs/${vendor}.html`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(`docs/${vendor}.html`);
}
