/**
 * Citus's names for the columns of remote_scan in the coordinator part of an EXPLAIN
 * (`citus-surface.md` §5, `multi_explain.out`): a worker column takes the output name of the
 * target entry it feeds (`remote_scan.count_quantity`, `remote_scan.l_quantity`), a column
 * that feeds none (HAVING, ORDER BY) is `worker_column_<position>`, and repeated names get
 * `_1`, `_2` as PostgreSQL's ruleutils makes them unique (`"?column?"`, `"?column?_1"`).
 * The combine plan's lines name them `remote_scan.<name>` (Citus's plan has more than one
 * range table entry, so PostgreSQL qualifies them even without VERBOSE), and the sums that
 * combine worker counts are printed `pg_catalog.sum(…)`, as Citus's combine plan shows them.
 *
 * Only EXPLAIN renames: the combine query that runs keeps the planner's names.
 */
import { docArray, docObject, docText, type DocField, type DocValue } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { RemoteScanShape } from "./combine.js";

const alias = "remote_scan";

/** The combine query and remote_scan shape under Citus's names. */
export interface NamedCombine {
  readonly shape: RemoteScanShape;
  readonly combine: ast.SelectStmt;
  /** New names of the columns that hold worker counts. */
  readonly counts: ReadonlySet<string>;
}

type Json = unknown;

/** Renames the remote_scan columns of `combine` as Citus names them. */
export function citusRemoteNames(shape: RemoteScanShape, combine: ast.SelectStmt): NamedCombine {
  const index = new Map(shape.names.map((name, i) => [name, i]));
  const base: (string | undefined)[] = shape.names.map(() => undefined);
  for (const target of combine.targetList ?? []) {
    if (!("ResTarget" in target)) continue;
    const name = target.ResTarget.name ?? "?column?";
    visit(target.ResTarget.val, [], (column) => {
      const i = index.get(column);
      if (i !== undefined && base[i] === undefined) base[i] = name;
    });
  }
  const used = new Set<string>();
  const names = base.map((name, i) => {
    const wanted = name ?? `worker_column_${i + 1}`;
    let unique = wanted;
    for (let k = 1; used.has(unique); k++) unique = `${wanted}_${k}`;
    used.add(unique);
    return unique;
  });
  const rename = new Map(shape.names.map((name, i) => [name, names[i]!]));
  const counts = new Set<string>();
  visit(combine, [], (column, parents) => {
    if (isCountSum(parents)) counts.add(rename.get(column) ?? column);
  });
  return {
    shape: { names, types: shape.types },
    combine: renamed(combine, rename) as ast.SelectStmt,
    counts,
  };
}

/**
 * The combine plan's lines as Citus prints them: remote columns qualified in Output lines,
 * count sums as `pg_catalog.sum`, and no doubled parentheses around a cast aggregate.
 */
export function citusCombineLines(lines: readonly string[], named: NamedCombine): string[] {
  return lines.map((line) => {
    // A property line ("Output: …", "Sort Key: …", "Filter: …"): Citus's combine plan
    // qualifies every column, VERBOSE or not.
    const property = /^\s*[A-Z][A-Za-z ]*: /.exec(line);
    if (property === null) return citusSums(line, named);
    const at = property[0].length;
    return line.slice(0, at) + citusExpression(line.slice(at), named);
  });
}

/** The structured properties that hold expressions. */
const expressionKey = /(Key|Cond|Filter|Output|Function Call)$/;

/**
 * The combine plan's structured document (FORMAT JSON, read back) with the same names in
 * its expression properties ("Output", "Sort Key", "Group Key", "Filter", "… Cond").
 */
export function citusCombineDoc(doc: DocValue, named: NamedCombine): DocValue {
  const expression = (key: string, value: DocValue): DocValue => {
    if (!expressionKey.test(key)) return citusCombineDoc(value, named);
    if (value.kind === "text") return docText(citusExpression(value.value, named));
    if (value.kind === "list") {
      return { kind: "list", items: value.items.map((item) => citusExpression(item, named)) };
    }
    return value;
  };
  if (doc.kind === "object") {
    return docObject(doc.fields.map(([key, value]): DocField => [key, expression(key, value)]));
  }
  if (doc.kind === "array") return docArray(doc.items.map((item) => citusCombineDoc(item, named)));
  return doc;
}

/** One expression of the combine plan with remote columns qualified, sums as Citus's. */
function citusExpression(text: string, named: NamedCombine): string {
  let body = text;
  for (const name of named.shape.names.map(quoteIdent)) {
    const pattern = new RegExp(`(?<![\\w."'$])${escape(name)}(?![\\w"'(=])`, "g");
    body = body.replace(pattern, `${alias}.${name}`);
  }
  return citusSums(body, named);
}

/** Count sums as `pg_catalog.sum`, without doubled parentheses around a cast aggregate. */
function citusSums(line: string, named: NamedCombine): string {
  let text = line;
  for (const name of named.counts) {
    const ref = escape(`${alias}.${quoteIdent(name)}`);
    text = text.replace(new RegExp(`(?<![\\w.])sum\\(${ref}\\)`, "g"),
      `pg_catalog.sum(${alias}.${quoteIdent(name)})`);
  }
  return text.replace(/\(\(((?:pg_catalog\.)?\w+\([^()]*\))\)\)::/g, "($1)::");
}

/**
 * The VERBOSE `Output:` line of a Custom Scan whose columns are the query's own (router and
 * recursively planned queries): `  Output: remote_scan.c0, remote_scan.c1` (Citus `pg15.out`).
 */
export function scanOutputLine(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const used = new Set<string>();
  const unique = names.map((name) => {
    let candidate = name;
    for (let k = 1; used.has(candidate); k++) candidate = `${name}_${k}`;
    used.add(candidate);
    return `${alias}.${quoteIdent(candidate)}`;
  });
  return [`  Output: ${unique.join(", ")}`];
}

/** Calls `found` with every remote_scan column reference under `node` and its ancestors. */
function visit(node: Json, parents: readonly Json[],
  found: (column: string, parents: readonly Json[]) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, parents, found);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const column = remoteColumn(node);
  if (column !== undefined) {
    found(column, parents);
    return;
  }
  const inner = [...parents, node];
  for (const value of Object.values(node)) visit(value, inner, found);
}

/** The column name of a `remote_scan.<name>` ColumnRef node. */
function remoteColumn(node: object): string | undefined {
  if (!("ColumnRef" in node)) return undefined;
  const fields = (node as { ColumnRef: { fields?: Json[] } }).ColumnRef.fields ?? [];
  const names = fields.map((field) => (field as { String?: { sval?: string } }).String?.sval);
  return names.length === 2 && names[0] === alias ? names[1] : undefined;
}

/**
 * Whether a column sits in a sum that combines worker counts: `COALESCE((sum(w))::bigint, 0)`
 * (count), `NULLIF(sum(w), 0)` or the uncast divisor of `sum(w_sum) / sum(w)` (the count
 * half of avg; a user's own sums are always cast, `(sum(w))::type`).
 */
function isCountSum(parents: readonly Json[]): boolean {
  // The node wrappers ({ FuncCall: … }), not their bodies.
  const nodes = parents.filter((node) => !Array.isArray(node) && node !== null
    && typeof node === "object" && Object.keys(node).length === 1
    && /^[A-Z]/.test(Object.keys(node)[0]!)) as object[];
  const sumAt = nodes.findLastIndex((node) => "FuncCall" in node);
  if (sumAt < 0) return false;
  const call = nodes[sumAt] as { FuncCall: { funcname?: Json[] } };
  const name = (call.FuncCall.funcname ?? []).map((part) =>
    (part as { String?: { sval?: string } }).String?.sval).at(-1);
  if (name !== "sum") return false;
  const parent = nodes[sumAt - 1] as { A_Expr?: { kind?: string; rexpr?: Json } } | undefined;
  if (parent?.A_Expr?.kind === "AEXPR_OP" && parent.A_Expr.rexpr === call) return true;
  const above = nodes.slice(0, sumAt).reverse().find((node) => !("TypeCast" in node));
  if (above === undefined) return false;
  if ("CoalesceExpr" in above) return true;
  return "A_Expr" in above && (above as { A_Expr: { kind?: string } }).A_Expr.kind
    === "AEXPR_NULLIF";
}

/** A copy of `node` with remote_scan column references renamed. */
function renamed(node: Json, rename: ReadonlyMap<string, string>): Json {
  if (Array.isArray(node)) return node.map((item) => renamed(item, rename));
  if (node === null || typeof node !== "object") return node;
  const column = remoteColumn(node);
  if (column !== undefined) {
    return { ColumnRef: { fields: [{ String: { sval: alias } },
      { String: { sval: rename.get(column) ?? column } }] } };
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, renamed(value, rename)]));
}

/** An identifier as ruleutils prints it: bare when lower-case and simple, else quoted. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll("\"", "\"\"")}"`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
