/**
 * Checks the one-way import graph of STYLE.md: a package imports only the packages its line
 * names, only through their public entry ("@tessera/x", no deep paths), never by a relative
 * path into another package; and its package.json declares exactly what it imports.
 * Exits non-zero with one line per violation.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const allowed: Record<string, readonly string[]> = {
  base: [],
  protocol: ["base"],
  sql: ["base"],
  engine: ["base", "sql"],
  worker: ["base", "protocol", "sql", "engine"],
  coordinator: ["base", "protocol", "sql", "engine", "worker"],
  cli: ["base", "worker", "coordinator"],
};

const root = resolve(import.meta.dirname, "..");
const problems: string[] = [];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) files.push(path);
  }
  return files;
}

const importPattern = /(?:from|import)\s*\(?\s*["']([^"']+)["']/g;

for (const [name, deps] of Object.entries(allowed)) {
  const pkgDir = join(root, "packages", name);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const declared = Object.keys(manifest.dependencies ?? {})
    .filter((d) => d.startsWith("@tessera/")).map((d) => d.slice("@tessera/".length));
  for (const dep of declared) {
    if (!deps.includes(dep)) {
      problems.push(`packages/${name}/package.json: may not depend on ${dep}`);
    }
  }
  for (const file of sourceFiles(join(pkgDir, "src"))) {
    const text = readFileSync(file, "utf8");
    const where = relative(root, file);
    for (const match of text.matchAll(importPattern)) {
      const spec = match[1] ?? "";
      if (spec.startsWith("@tessera/")) {
        const [, target, ...rest] = spec.split("/");
        if (target === undefined || !deps.includes(target)) {
          problems.push(`${where}: ${name} may not import ${spec}`);
        } else if (rest.length > 0) {
          problems.push(`${where}: deep import ${spec}; use the package entry`);
        } else if (!declared.includes(target)) {
          problems.push(`${where}: imports ${spec} but package.json does not declare it`);
        }
      } else if (spec.startsWith(".")) {
        const target = resolve(file, "..", spec);
        if (!target.startsWith(join(pkgDir, "src"))) {
          problems.push(`${where}: relative import ${spec} leaves the package`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.exit(1);
}
process.stdout.write("check-deps: the import graph points one way\n");
