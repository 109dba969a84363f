/**
 * A copying walk over a raw libpg-query tree that lets a visitor replace relation references
 * (RangeVar) and column references (ColumnRef), and knows two things a plain JSON walk does
 * not: where a RangeVar sits (parent node type and field, so the caller can tell a FROM item
 * from an index's table) and which CTE names are in scope there.
 *
 * The tree is JSON-shaped: a node is `{ TypeName: { ...fields } }`, but some fields hold a
 * struct without that wrapper (`InsertStmt.relation` is a bare RangeVar, `SelectStmt.
 * withClause` a bare WithClause). `bareRangeVarFields` lists the bare RangeVar fields of
 * @pgsql/types 18 that name tables; sequence, view and type names are left out on purpose.
 * Everything the visitor does not replace is copied as is, so the input stays untouched.
 */
import { SqlError, SqlState, assert, limits } from "@tessera/base";
import type { ast } from "@tessera/sql";

export type TreeRecord = { [key: string]: unknown };

export interface TreeVisitor {
  /**
   * Returns a replacement for a table reference, or undefined to keep it. `position` is
   * "ParentType.field"; `ctes` holds the CTE names visible there.
   */
  readonly rangeVar?: (
    rangeVar: ast.RangeVar, position: string, ctes: ReadonlySet<string>,
  ) => ast.RangeVar | undefined;
  /** Returns a replacement for a column reference, or undefined to keep it. */
  readonly columnRef?: (ref: ast.ColumnRef) => ast.ColumnRef | undefined;
}

/** Bare (unwrapped) RangeVar fields that name a table, as "ParentType.field". */
const bareRangeVarFields: ReadonlySet<string> = new Set([
  "IntoClause.rel", "TableLikeClause.relation", "PartitionCmd.name", "InsertStmt.relation",
  "DeleteStmt.relation", "UpdateStmt.relation", "MergeStmt.relation", "AlterTableStmt.relation",
  "CopyStmt.relation", "CreateStmt.relation", "Constraint.pktable", "CreatePolicyStmt.table",
  "AlterPolicyStmt.table", "CreateTrigStmt.relation", "CreateTrigStmt.constrrel",
  "IndexStmt.relation", "RenameStmt.relation", "AlterObjectDependsStmt.relation",
  "AlterObjectSchemaStmt.relation", "AlterOwnerStmt.relation", "RuleStmt.relation",
  "ClusterStmt.relation", "VacuumRelation.relation", "RefreshMatViewStmt.relation",
  "ReindexStmt.relation", "PublicationTable.relation",
]);

/** Other bare struct fields whose type matters to the walk (set operation branches). */
const bareNodeFields: ReadonlyMap<string, string> = new Map([
  ["SelectStmt.larg", "SelectStmt"], ["SelectStmt.rarg", "SelectStmt"],
  ["PLAssignStmt.val", "SelectStmt"],
]);

/** Statements that may carry a bare `withClause`. */
const statementsWithCtes: ReadonlySet<string> = new Set([
  "SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt",
]);

interface WalkState {
  readonly visitor: TreeVisitor;
  readonly ctes: ReadonlySet<string>;
  readonly depth: number;
}

/** Returns a copy of `tree` with the visitor's replacements applied. */
export function walkTree(tree: unknown, visitor: TreeVisitor): unknown {
  return walkValue(tree, "", { visitor, ctes: new Set(), depth: 0 });
}

export function isRecord(value: unknown): value is TreeRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Walks any value; `position` is where it sits ("ParentType.field"). */
function walkValue(value: unknown, position: string, state: WalkState): unknown {
  if (Array.isArray(value)) return value.map((item) => walkValue(item, position, state));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const type = keys[0];
  if (keys.length === 1 && type !== undefined && /^[A-Z]/.test(type) && isRecord(value[type])) {
    return { [type]: walkNode(type, value[type], position, state) };
  }
  return walkFields("", value, state);
}

/** Walks a wrapped node `{ type: fields }`, giving RangeVar and ColumnRef to the visitor. */
function walkNode(type: string, fields: TreeRecord, position: string, state: WalkState): unknown {
  if (state.depth >= limits.treeDepthMax) {
    throw new SqlError(SqlState.statementTooComplex, "stack depth limit exceeded", {
      hint: "The statement nests too deeply.",
    });
  }
  const inner = { ...state, depth: state.depth + 1 };
  if (type === "RangeVar") return visitRangeVar(fields, position, inner);
  if (type === "ColumnRef" && state.visitor.columnRef !== undefined) {
    const copy = walkFields(type, fields, inner) as ast.ColumnRef;
    return state.visitor.columnRef(copy) ?? copy;
  }
  if (statementsWithCtes.has(type) && isRecord(fields["withClause"])) {
    return walkWithScope(type, fields, inner);
  }
  return walkFields(type, fields, inner);
}

/**
 * Walks the fields of a struct of type `type` ("" when unknown); `withClause`, when given,
 * is the already walked WITH clause of a statement.
 */
function walkFields(
  type: string, fields: TreeRecord, state: WalkState, withClause?: TreeRecord,
): TreeRecord {
  const copy: TreeRecord = {};
  for (const [key, value] of Object.entries(fields)) {
    const position = `${type}.${key}`;
    if (key === "withClause" && withClause !== undefined) {
      copy[key] = withClause;
      continue;
    }
    const bareType = bareNodeFields.get(position);
    if (bareRangeVarFields.has(position) && isRecord(value)) {
      copy[key] = visitRangeVar(value, position, state);
    } else if (bareType !== undefined && isRecord(value)) {
      copy[key] = walkNode(bareType, value, position, state);
    } else {
      copy[key] = walkValue(value, position, state);
    }
  }
  return copy;
}

function visitRangeVar(fields: TreeRecord, position: string, state: WalkState): TreeRecord {
  assert(typeof fields["relname"] === "string", "a RangeVar names a relation");
  const rangeVar = fields as ast.RangeVar;
  const replaced = state.visitor.rangeVar?.(rangeVar, position, state.ctes);
  return { ...(replaced ?? rangeVar) };
}

/**
 * Walks a statement with a WITH clause: its CTE names are in scope for the statement body;
 * inside CTE bodies, a recursive WITH sees all of them, a plain one only the earlier ones.
 */
function walkWithScope(type: string, fields: TreeRecord, state: WalkState): TreeRecord {
  const withClause = fields["withClause"];
  assert(isRecord(withClause), "withClause is a bare WithClause");
  const ctes = Array.isArray(withClause["ctes"]) ? withClause["ctes"] : [];
  const names = ctes.map(cteName);
  const recursive = withClause["recursive"] === true;
  const walkedCtes = ctes.map((cte, index) => {
    const visible = recursive ? names : names.slice(0, index);
    return walkValue(cte, "WithClause.ctes", { ...state, ctes: union(state.ctes, visible) });
  });
  const walkedWith = { ...withClause, ctes: walkedCtes };
  return walkFields(type, fields, { ...state, ctes: union(state.ctes, names) }, walkedWith);
}

function cteName(cte: unknown): string {
  assert(isRecord(cte) && isRecord(cte["CommonTableExpr"]), "ctes holds CommonTableExprs");
  const name = cte["CommonTableExpr"]["ctename"];
  assert(typeof name === "string", "a CTE has a name");
  return name;
}

function union(scope: ReadonlySet<string>, names: readonly string[]): ReadonlySet<string> {
  if (names.length === 0) return scope;
  return new Set([...scope, ...names]);
}

/**
 * Copies an expression tree with each subquery (a SubLink's SELECT) passed to `replace`;
 * a subquery for which it returns undefined stays as it was. Subqueries inside a replaced
 * one are the caller's business.
 */
export function mapSubLinkSelects<T>(value: T,
  replace: (select: ast.SelectStmt) => ast.SelectStmt | undefined): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== "object" || node === null) return node;
    const record = node as Record<string, unknown>;
    const link = record["SubLink"] as ast.SubLink | undefined;
    if (link?.subselect !== undefined && "SelectStmt" in link.subselect) {
      const replaced = replace(link.subselect.SelectStmt);
      return replaced === undefined ? node
        : { SubLink: { ...link, subselect: { SelectStmt: replaced } } };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v)]));
  };
  return visit(value) as T;
}

/**
 * Whether some node (object) of a raw tree passes `test`; where `test` answers "skip" the
 * walk does not go below that node (a subquery, for searches that stay at one query level).
 */
export function someNode(tree: unknown, test: (record: TreeRecord) => boolean | "skip"):
  boolean {
  const visit = (value: unknown): boolean => {
    if (typeof value !== "object" || value === null) return false;
    if (Array.isArray(value)) return value.some(visit);
    const record = value as TreeRecord;
    const verdict = test(record);
    if (verdict === "skip") return false;
    return verdict || Object.values(record).some(visit);
  };
  return visit(tree);
}

/**
 * A copy of `tree` rebuilt bottom-up: each node record, its children already rebuilt, is
 * passed to `replace`, whose answer takes its place (the record itself to keep it).
 */
export function mapRecords(tree: unknown, replace: (record: TreeRecord) => unknown): unknown {
  const visit = (value: unknown, depth: number): unknown => {
    assert(depth <= limits.treeDepthMax * 4, "trees nest within the depth limit");
    if (Array.isArray(value)) return value.map((item) => visit(item, depth + 1));
    if (typeof value !== "object" || value === null) return value;
    return replace(Object.fromEntries(Object.entries(value)
      .map(([key, child]) => [key, visit(child, depth + 1)])) as TreeRecord);
  };
  return visit(tree, 0);
}
