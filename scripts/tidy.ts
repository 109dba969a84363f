/**
 * Style checks a compiler does not make (TigerBeetle's tidy.zig): lines of at most 100
 * columns, files of at most 800 lines, functions of at most 100 lines, no `any`, no stray
 * `.only`. Runs over packages/*\/src, test/ and scripts/. Exits non-zero on a violation.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const lineColumnsMax = 100;
const fileLinesMax = 800;
const functionLinesMax = 100;
const problems: string[] = [];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) files.push(path);
  }
  return files;
}

// Built from pieces so this file does not match its own patterns.
const anyWord = "any";
const anyPattern = new RegExp(
  `(?::\\s*${anyWord}\\b|\\bas\\s+${anyWord}\\b|<${anyWord}>|${anyWord}\\[\\])`);
const onlyWord = "only";
const onlyPattern = new RegExp(
  `\\b(?:it|test|describe)\\.${onlyWord}\\(|\\{\\s*${onlyWord}\\s*:\\s*true`);

function checkFile(file: string): void {
  const where = relative(root, file);
  const lines = readFileSync(file, "utf8").split("\n");
  if (lines.length > fileLinesMax) {
    problems.push(`${where}: ${lines.length} lines (max ${fileLinesMax})`);
  }
  lines.forEach((line, i) => {
    if (line.length > lineColumnsMax) {
      problems.push(`${where}:${i + 1}: ${line.length} columns (max ${lineColumnsMax})`);
    }
    const trimmed = line.trimStart();
    const isComment = trimmed.startsWith("*") || trimmed.startsWith("/*");
    const code = isComment ? "" : line.replace(/\/\/.*$/, "");
    if (anyPattern.test(code)) problems.push(`${where}:${i + 1}: \`any\``);
    if (onlyPattern.test(code)) problems.push(`${where}:${i + 1}: stray .only`);
  });
  checkFunctionLengths(where, lines);
}

/** Finds top-level and class-member functions by their opening line and matching close. */
function checkFunctionLengths(where: string, lines: string[]): void {
  const modifiers = "(?:private\\s+|static\\s+|public\\s+|protected\\s+|override\\s+|async\\s+)*";
  const opener = new RegExp("^(\\s*)(?:export\\s+)?(?:async\\s+)?(?:function\\*?\\s+\\w+|"
    + `${modifiers}\\w+\\s*\\([^)]*\\)?[^=;]*\\{\\s*$)`);
  for (let i = 0; i < lines.length; i++) {
    const match = opener.exec(lines[i] ?? "");
    if (match === null || !(lines[i] ?? "").trimEnd().endsWith("{")) continue;
    const indent = match[1] ?? "";
    if (indent.length > 2) continue;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? "").startsWith(`${indent}}`)) end++;
    const length = end - i + 1;
    if (length > functionLinesMax) {
      problems.push(`${where}:${i + 1}: function of ${length} lines (max ${functionLinesMax})`);
    }
  }
}

const roots = [join(root, "packages"), join(root, "test"), join(root, "scripts")];
for (const dir of roots) for (const file of sourceFiles(dir)) checkFile(file);

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`tidy: ${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write("tidy: clean\n");
