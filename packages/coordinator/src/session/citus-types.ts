/**
 * Citus's catalog enum types on the coordinator. pg_dist_node.noderole is the enum `noderole`
 * in Citus; Tessera stores it as text (the engine has no enum types yet), so a statement's
 * casts to `noderole` (the tutorial's `node.noderole = 'primary'::noderole`) become casts to
 * text before the local engine sees them. Statements without such a cast pass unchanged.
 */
import type { ast } from "@tessera/sql";

const textTypes = new Set(["noderole"]);

/** Returns `stmt` with casts to Citus's enum types turned into casts to text. */
export function citusTypesAsText(stmt: ast.Node): ast.Node {
  if (!JSON.stringify(stmt).includes('"noderole"')) return stmt;
  return rewrite(stmt) as ast.Node;
}

function rewrite(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(rewrite);
  const record = value as Record<string, unknown>;
  if ("TypeName" in record || "names" in record) {
    const names = record["names"];
    if (Array.isArray(names) && isCitusType(names)) {
      return { ...record, names: [{ String: { sval: "text" } }] };
    }
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) copy[key] = rewrite(field);
  return copy;
}

function isCitusType(names: unknown[]): boolean {
  const svals = names.map((n) => (typeof n === "object" && n !== null && "String" in n
    ? (n as { String: { sval?: string } }).String.sval ?? "" : ""));
  const last = svals.at(-1) ?? "";
  return textTypes.has(last) && (svals.length === 1 || svals[0] === "pg_catalog");
}
