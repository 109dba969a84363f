/**
 * The bench's results: one row per measurement with both engines' figures (or their errors),
 * the Tessera/PostgreSQL ratio and the issue's target next to it; printed as a table and
 * written as JSON to `.bench/results-<timestamp>.json`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type EngineName = "PostgreSQL" | "Tessera";

export interface Side {
  value?: number;
  error?: string;
  /** Everything else measured (runs, latency, fingerprints), for the JSON file. */
  detail?: Readonly<Record<string, unknown>>;
}

export interface ResultRow {
  readonly section: string;
  readonly label: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** Tessera/PG ratio to meet: at most this for times, at least this for rates. */
  readonly target?: number;
  /**
   * A Tessera-only comparison: the PostgreSQL column holds the baseline (e.g. 1 worker), the
   * Tessera column the subject (2 workers), and the ratio is baseline/subject (a speed-up).
   */
  readonly speedUp?: boolean;
  readonly sides: Record<EngineName, Side>;
  readonly notes: string[];
}

export function ratioOf(row: ResultRow): number | undefined {
  const pg = row.sides.PostgreSQL.value;
  const tessera = row.sides.Tessera.value;
  if (pg === undefined || tessera === undefined || pg === 0 || tessera === 0) return undefined;
  return row.speedUp === true ? pg / tessera : tessera / pg;
}

function targetText(row: ResultRow): string {
  if (row.target === undefined) return "";
  return `${row.higherIsBetter ? ">=" : "<="} ${row.target}x`;
}

function verdict(row: ResultRow): string {
  const ratio = ratioOf(row);
  if (row.target === undefined) return "";
  if (ratio === undefined) return "n/a";
  const met = row.higherIsBetter ? ratio >= row.target : ratio <= row.target;
  return met ? "ok" : "MISS";
}

function figure(value: number | undefined, unit: string): string {
  if (value === undefined) return "";
  if (unit === "ms") return value < 10 ? value.toFixed(2) : value.toFixed(1);
  if (unit === "MiB") return value.toFixed(1);
  if (unit === "s" || unit === "MiB/s") return value.toFixed(2);
  return Math.round(value).toLocaleString("en-US");
}

function cell(side: Side, unit: string): string {
  if (side.error !== undefined) return "FAILED";
  return side.value === undefined ? "-" : figure(side.value, unit);
}

function ratioText(row: ResultRow): string {
  const ratio = ratioOf(row);
  if (ratio === undefined) return "";
  return `${ratio.toPrecision(3)}x`;
}

export function formatTable(rows: readonly ResultRow[]): string {
  const header = ["section", "measure", "unit", "PostgreSQL", "Tessera", "Tessera/PG", "target",
    ""];
  const body = rows.map((row) => [
    row.section, row.label, row.unit, cell(row.sides.PostgreSQL, row.unit),
    cell(row.sides.Tessera, row.unit), ratioText(row), targetText(row), verdict(row),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const numeric = new Set([3, 4, 5]);
  const line = (cells: readonly string[]): string => cells.map((c, i) => (numeric.has(i)
    ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
  const remarks: string[] = [];
  for (const row of rows) {
    for (const engine of ["PostgreSQL", "Tessera"] as const) {
      const error = row.sides[engine].error;
      if (error !== undefined) remarks.push(`${row.section} on ${engine}: FAILED: ${error}`);
    }
    for (const note of row.notes) remarks.push(`${row.section}: ${note}`);
  }
  if (remarks.length > 0) out.push("", ...remarks.map((r) => `* ${indentLines(r)}`));
  return out.join("\n");
}

function indentLines(text: string): string {
  return text.split("\n").join("\n    ");
}

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly rows: readonly ResultRow[];
}

/** Writes the report under `dir` and returns the file's path. */
export function writeReport(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
  const path = join(dir, `results-${stamp}.json`);
  const rows = report.rows.map((row) => ({ ...row, ratio: ratioOf(row) ?? null,
    verdict: verdict(row) || null }));
  writeFileSync(path, JSON.stringify({ ...report, rows }, null, 2) + "\n");
  return path;
}
