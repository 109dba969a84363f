/**
 * Known differences and the human-readable report of a differential run.
 *
 * known-differences.txt: one entry a line, `file:index reason`, where index is the
 * statement's 1-based position in the file as the report prints it (`file:*` covers a whole
 * file, e.g. `generated:*`). `#` starts a comment.
 */
import { formatOutcome } from "./compare.js";
import type { StatementResult } from "./run-file.js";

export interface KnownDifferences {
  reason(file: string, index: number): string | undefined;
  /** Entries that matched no mismatch in this run (fixed, or the corpus moved). */
  unused(seenFiles: ReadonlySet<string>): string[];
}

export function parseKnownDifferences(text: string): KnownDifferences {
  const entries = new Map<string, string>();
  const used = new Set<string>();
  for (const [n, raw] of text.split("\n").entries()) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") continue;
    const m = /^(\S+):(\d+|\*)(?:\s+(.*))?$/.exec(line);
    if (!m)
      throw new Error(`known-differences.txt:${n + 1}: expected "file:index reason", got "${raw}"`);
    entries.set(`${m[1]}:${m[2]}`, m[3] ?? "(no reason given)");
  }
  return {
    reason(file, index) {
      for (const key of [`${file}:${index}`, `${file}:*`]) {
        const reason = entries.get(key);
        if (reason !== undefined) {
          used.add(key);
          return reason;
        }
      }
      return undefined;
    },
    unused(seenFiles) {
      return [...entries.keys()].filter((key) => {
        const file = key.slice(0, key.lastIndexOf(":"));
        return seenFiles.has(file) && !used.has(key) && !key.endsWith(":*");
      });
    },
  };
}

export type Classification = "match" | "known" | "mismatch" | "corpus-error";

export interface Classified extends StatementResult {
  readonly class: Classification;
  readonly knownReason?: string;
}

/**
 * A setup statement that fails on the reference is a bug in the corpus (both sides failing the
 * same way would otherwise pass silently); other hard differences are mismatches unless known.
 */
export function classify(result: StatementResult, known: KnownDifferences): Classified {
  const { statement, reference, verdict } = result;
  if (statement.section === "setup" && reference.kind !== "ok")
    return { ...result, class: "corpus-error" };
  if (verdict.hard.length === 0) return { ...result, class: "match" };
  const reason = known.reason(result.file, statement.index);
  if (reason !== undefined) return { ...result, class: "known", knownReason: reason };
  return { ...result, class: "mismatch" };
}

export function fileSummary(file: string, results: readonly Classified[]): string {
  const count = (c: Classification): number => results.filter((r) => r.class === c).length;
  const soft = results.filter((r) => r.verdict.soft.length > 0 && r.class === "match").length;
  const parts = [`${count("match")}/${results.length} matched`];
  if (count("known") > 0) parts.push(`${count("known")} known`);
  if (count("mismatch") > 0) parts.push(`${count("mismatch")} MISMATCHED`);
  if (count("corpus-error") > 0) parts.push(`${count("corpus-error")} CORPUS ERRORS`);
  if (soft > 0) parts.push(`${soft} soft (message/typmod) differences`);
  return `${file.padEnd(24)} ${parts.join(", ")}`;
}

export function formatMismatch(result: Classified): string {
  const { file, statement, verdict } = result;
  const title =
    result.class === "corpus-error"
      ? "CORPUS ERROR: setup statement failed on the reference"
      : result.class === "known"
        ? `known difference: ${result.knownReason ?? ""}`
        : [...verdict.hard, ...verdict.soft].join("; ");
  const where = `line ${statement.line}, ${statement.section}${result.ordered ? ", ordered" : ""}`;
  return [
    `--- ${file}:${statement.index} (${where}) ${title}`,
    indent(statement.sql),
    "reference:",
    formatOutcome(result.reference),
    "target:",
    formatOutcome(result.target),
  ].join("\n");
}

export function formatSoft(result: Classified): string {
  const { file, statement, verdict } = result;
  return [
    `~~~ ${file}:${statement.index} (line ${statement.line}) ${verdict.soft.join("; ")}`,
    indent(statement.sql),
    `reference: ${oneLine(result.reference.kind === "error" ? result.reference.message : "")}`,
    `target:    ${oneLine(result.target.kind === "error" ? result.target.message : "")}`,
  ].join("\n");
}

function indent(sql: string): string {
  return sql
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ");
}
