/** The one results table every benchmark contributes rows to, and the formatting of its cells. */

export interface Row {
  benchmark: string;
  ours: string;
  /** The floor, a peer, or a quoted figure: the cell says which. */
  baseline: string;
  ratio: string;
  goal: string;
  /** "yes" / "no" when the row has a goal; "—" for context rows; "skipped: …" or "error: …" otherwise. */
  met: string;
}

/** What one benchmark returns: its rows, and notes on how they were measured. */
export interface BenchResult {
  rows: Row[];
  notes: string[];
}

export interface BenchOptions {
  /** CI's short version: every benchmark once, tiny iteration counts. */
  quick: boolean;
}

export const yesNo = (met: boolean): string => (met ? 'yes' : 'no');
export const ratio = (ours: number, baseline: number): string => `${(ours / baseline).toFixed(2)}×`;
export const ns = (value: number): string => `${value < 100 ? value.toFixed(1) : Math.round(value)} ns/op`;
export const us = (valueNs: number): string => `${(valueNs / 1000).toFixed(1)} µs/req`;
export const ms = (value: number): string => `${value.toFixed(1)} ms`;
export const seconds = (valueMs: number): string => `${(valueMs / 1000).toFixed(1)} s`;
export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

const COLUMNS: [keyof Row, string][] = [
  ['benchmark', 'benchmark'],
  ['ours', 'ours'],
  ['baseline', 'baseline / peer'],
  ['ratio', 'ratio'],
  ['goal', 'goal'],
  ['met', 'met?'],
];

/** A plain-text table for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(COLUMNS.map(([, title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(COLUMNS.map(([key]) => row[key])))].join('\n');
}

/** The same table in Markdown, for RESULTS.md. */
export function markdownTable(rows: readonly Row[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(COLUMNS.map(([, title]) => title)), line(COLUMNS.map(() => '---')), ...rows.map((row) => line(COLUMNS.map(([key]) => row[key])))].join('\n');
}
