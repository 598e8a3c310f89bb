#!/usr/bin/env node
// `npm run quickstart`: from a fresh clone to built packages and rendered docs, with a short summary instead of
// every task's log. Installs with pnpm (through `npx -y pnpm@<packageManager>` when that pnpm is not on PATH),
// checks that every spec parses, builds every package (generate first, through turbo), renders the docs.
//
// Each step's output is kept, not shown: a step that fails prints its error first — a spec's YAML error as
// `specs/<vendor>.yaml:<line>:<column>: <message>` with the lines around it — then the rest of that step's log.
// On a terminal one status line shows the step running; it is erased, so the summary (or the error) is all that stays.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const started = Date.now();
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.replace(/^pnpm@/, '');
const pnpm = pnpmOnPath() === pnpmVersion ? ['pnpm'] : ['npx', '-y', `pnpm@${pnpmVersion}`];
const logDir = join(root, 'node_modules/.cache/quickstart');
const summary = [];

const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };

const install = await step('install', pnpm, ['install', '--frozen-lockfile', '--reporter=append-only']);
const added = /Packages: \+(\d+)/.exec(install)?.[1];
summary.push(['installed', `${added ? `${added} packages` : 'the dependencies (already up to date)'} with pnpm ${pnpmVersion}`]);
const warnings = install.split('\n').filter((line) => /\bWARN\b|Ignored build scripts|unmet peer/.test(line));

const specs = readdirSync(join(root, 'specs')).filter((file) => /\.ya?ml$/.test(file)).sort();
checkSpecs(specs);

const build = await step('build', pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
const tasks = /Tasks:\s+(\d+) successful, (\d+) total/.exec(build);
const cached = /Cached:\s+(\d+) cached/.exec(build)?.[1];
summary.push(['generated', `the typed clients from ${specs.length} specs (specs/*.yaml), then built every package${tasks ? ` (${tasks[2]} turbo tasks${cached && cached !== '0' ? `, ${cached} from cache` : ''})` : ''}`]);

await step('docs', [process.execPath], [join(root, 'scripts/build-docs.mjs')]);
summary.push(['rendered', `the API docs: ${relative(process.cwd(), join(root, 'docs/index.html')) || 'docs/index.html'} (one page per vendor)`]);

status('');
console.log(`token-clients quick start: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [what, detail] of summary) console.log(`  ${what.padEnd(10)} ${detail}`);
for (const warning of warnings) console.log(`  pnpm said: ${warning.trim()}`);
console.log(`
Next: open docs/index.html (or \`${pnpm.join(' ')} docs:serve\`), run \`npm test\`, and see README.md ("Use it").
Each step's full log: ${relative(process.cwd(), logDir)}/`);

/**
 * Runs one step with its output captured into `<logDir>/<name>.log`; resolves with that output. On failure, prints
 * the lines that say what went wrong first, then the whole log, and exits.
 */
async function step(name, command, args) {
  status(`${name}…`);
  const [program, ...leading] = command;
  const { code, output } = await capture(program, [...leading, ...args]);
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, `${name}.log`), output);
  if (code === 0) return output;
  status('');
  const errors = output.split('\n').filter((line) => /\b(error|ERR_|failed|cannot|not found)\b/i.test(line) && !/^\s*at /.test(line));
  console.error(`quick start: ${name} failed${errors.length ? `:\n${[...new Set(errors)].slice(0, 10).map((line) => `  ${line.trim()}`).join('\n')}` : ''}`);
  console.error(`\n--- the ${name} step's log (also in ${relative(process.cwd(), join(logDir, `${name}.log`))}):\n${output.trimEnd()}`);
  process.exit(1);
}

/** Every spec must parse as YAML before anything is generated from it: its error, with its place, comes first. */
function checkSpecs(files) {
  const { parseDocument } = createRequire(join(root, 'packages/testkit/package.json'))('yaml');
  const problems = [];
  for (const file of files) {
    const text = readFileSync(join(root, 'specs', file), 'utf8');
    const document = parseDocument(text, { prettyErrors: true });
    for (const error of document.errors) {
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [0, 0];
      problems.push(`specs/${file}:${line}:${column}: ${error.message.split('\n')[0]}\n${excerpt(text, line)}`);
    }
  }
  if (problems.length === 0) return;
  status('');
  const broken = [...new Set(problems.map((problem) => problem.slice(0, problem.indexOf(':'))))];
  console.error(`quick start: ${broken.join(', ')} ${broken.length === 1 ? 'does' : 'do'} not parse as YAML, so no client can be generated from ${broken.length === 1 ? 'it' : 'them'}:\n`);
  console.error(problems.join('\n\n'));
  console.error('\nFix the YAML and run `npm run quickstart` again (`pnpm lint:specs` checks the specs in more depth).');
  process.exit(1);
}

/** The lines around `line` (1-based), numbered, the line itself marked. */
function excerpt(text, line) {
  const lines = text.split('\n');
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line + 2);
  const out = [];
  for (let at = from; at <= to; at++) out.push(`  ${at === line ? '>' : ' '} ${String(at).padStart(4)} | ${lines[at - 1]}`);
  return out.join('\n');
}

/** Runs a command with stdout and stderr captured together. */
function capture(program, args) {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}\ncould not start ${program}: ${error.message}` }));
    child.on('close', (code) => resolve({ code, output: output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '') }));
  });
}

/** One erasable status line, on a terminal only (a log gets just the summary). */
function status(text) {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${text}`);
}

function pnpmOnPath() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
