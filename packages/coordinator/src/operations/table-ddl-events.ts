/**
 * master_get_table_ddl_events(text) → SETOF text (Citus's `node_protocol.c`): the DDL that
 * recreates a table of the coordinator, distributed or not, in Citus's order and words
 * (`GetFullTableCreationCommands`), every name qualified as with an empty search_path:
 *
 *   CREATE [UNLOGGED] TABLE public.t (a integer NOT NULL, b text DEFAULT 'x'::text,
 *     CONSTRAINT c CHECK ((a > 0))) USING heap          (PARTITION BY … for a partitioned one)
 *   ALTER TABLE public.t OWNER TO postgres
 *   ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (a)     (per index, by index oid:
 *   CREATE INDEX t_b_idx ON public.t USING btree (b)                the constraint or index,
 *   ALTER TABLE public.t CLUSTER ON t_b_idx                         then CLUSTER ON)
 *   CREATE TRIGGER … ; ALTER TABLE public.t ENABLE TRIGGER name;   (per trigger, by name)
 *
 * Column defaults that call nextval() are kept (Citus's NEXTVAL_SEQUENCE_DEFAULTS). Foreign
 * keys are not part of it, as on Citus. The text comes from the coordinator's catalog
 * functions (pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef), read
 * before the statement runs (`utility-prefetch.ts`), since set-returning functions are
 * evaluated synchronously; the argument must therefore be a constant.
 *
 * Identity columns print with their sequence's options, as Citus's INCLUDE_IDENTITY.
 * Errors: an unknown name is 42P01 from the regclass lookup; a view or sequence is 42809
 * `<name> is not a regular, foreign or partitioned table`.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, parseStatements, type FunctionDef, type Row, type Value, type ast }
  from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { constantText, functionName } from "../planner/raw.js";
import { someNode } from "../planner/tree-walk.js";
import { quoteLiteral } from "./type-function-propagation.js";

export const tableDdlEventsName = "master_get_table_ddl_events";

const prefetched = new WeakMap<AbortSignal, Map<string, string[]>>();

/** The function, reading what `prefetchTableDdlEvents` gathered. */
export function tableDdlEventsFunctions(): FunctionDef[] {
  return [{
    kind: "srf", name: tableDdlEventsName, volatility: "v", strict: true,
    argTypes: [TypeOid.text], argNames: ["text"], returnType: TypeOid.text,
    impl: (args, ctx): Value[] => {
      const events = prefetched.get(ctx.signal)?.get(String(args[0]));
      if (events === undefined) {
        throw new SqlError(SqlState.featureNotSupported,
          `${tableDdlEventsName}() is supported only with a constant argument`);
      }
      return events;
    },
  }];
}

/** Tells whether a statement calls master_get_table_ddl_events. */
export function callsTableDdlEvents(stmt: ast.Node): boolean {
  return someNode(stmt, (record) => {
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return call !== undefined && functionName(call) === tableDdlEventsName;
  });
}

/** Builds the DDL of every table the statement names in a constant argument. */
export async function prefetchTableDdlEvents(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<void> {
  const names: string[] = [];
  someNode(stmt, (record) => {
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call === undefined || functionName(call) !== tableDdlEventsName) return false;
    const arg = call.args?.[0];
    const text = arg === undefined ? undefined : constantText(arg);
    if (typeof text === "string") names.push(text);
    return false;
  });
  const events = new Map<string, string[]>();
  for (const name of names) events.set(name, await tableDdlEvents(cluster, name, ctx));
  prefetched.set(ctx.signal, events);
}

/** The statements that recreate the table `name` names, in Citus's order. */
async function tableDdlEvents(cluster: Cluster, name: string, ctx: StatementContext):
  Promise<string[]> {
  // Every name prints qualified, as Citus's PushEmptySearchPath makes it.
  const qualifiedCtx = withEmptySearchPath(ctx);
  const query = (sql: string): Promise<Row[]> => localRows(cluster, sql, qualifiedCtx);
  // The name itself resolves through the session's search_path.
  const [relation] = await localRows(cluster, "SELECT c.oid, c.relkind, c.relpersistence, " +
    "n.nspname, c.relname, pg_catalog.pg_get_userbyid(c.relowner), am.amname " +
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
    "LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam " +
    `WHERE c.oid = ${quoteLiteral(name)}::pg_catalog.regclass`, ctx);
  if (relation === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
  }
  const [oid, kind, persistence, schema, relname, owner, method] = relation;
  if (kind !== "r" && kind !== "p" && kind !== "f") {
    throw new SqlError(SqlState.wrongObjectType,
      `${String(relname)} is not a regular, foreign or partitioned table`);
  }
  const table = `${quoteIdentifier(String(schema))}.${quoteIdentifier(String(relname))}`;
  const events = [await createTableText(query, Number(oid), {
    table, unlogged: persistence === "u", partitioned: kind === "p",
    method: typeof method === "string" ? method : null,
  })];
  events.push(`ALTER TABLE ${table} OWNER TO ${quoteIdentifier(String(owner))}`);
  events.push(...await indexEvents(query, Number(oid), table));
  events.push(...await triggerEvents(query, Number(oid), table));
  return events;
}

type Query = (sql: string) => Promise<Row[]>;

interface TableShape {
  readonly table: string;
  readonly unlogged: boolean;
  readonly partitioned: boolean;
  readonly method: string | null;
}

/** CREATE TABLE with columns, defaults, NOT NULL and CHECK constraints (by name). */
async function createTableText(query: Query, oid: number, shape: TableShape):
  Promise<string> {
  const identities = await identityTexts(query, oid);
  const columns = await query("SELECT a.attname, pg_catalog.format_type(a.atttypid, " +
    "a.atttypmod), a.attnotnull, a.attnum, a.attgenerated, " +
    "pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attribute a " +
    "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum " +
    `WHERE a.attrelid = ${oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`);
  const items = columns.map(([column, type, notNull, attnum, generated, expr]) => {
    let text = `${quoteIdentifier(String(column))} ${String(type)}`;
    text += identities.get(Number(attnum)) ?? "";
    if (typeof expr === "string") {
      text += generated === "s" ? ` GENERATED ALWAYS AS (${expr}) STORED` : ` DEFAULT ${expr}`;
    }
    if (notNull === true) text += " NOT NULL";
    return text;
  });
  const checks = await query("SELECT conname, pg_catalog.pg_get_constraintdef(oid) " +
    `FROM pg_catalog.pg_constraint WHERE conrelid = ${oid} AND contype = 'c' ORDER BY conname`);
  for (const [constraint, definition] of checks) {
    items.push(`CONSTRAINT ${quoteIdentifier(String(constraint))} ${String(definition)}`);
  }
  let text = `CREATE ${shape.unlogged ? "UNLOGGED " : ""}TABLE ${shape.table} ` +
    `(${items.join(", ")})`;
  if (shape.partitioned) {
    const [[key] = []] = await query(`SELECT pg_catalog.pg_get_partkeydef(${oid})`);
    text += ` PARTITION BY ${String(key)} `;
  } else if (shape.method !== null) {
    text += ` USING ${quoteIdentifier(shape.method)}`;
  }
  return text;
}

/**
 * ` GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1
 * CACHE 1 NO CYCLE)` by column number, from each identity column's sequence.
 */
async function identityTexts(query: Query, oid: number): Promise<Map<number, string>> {
  const rows = await query("SELECT a.attnum, a.attidentity, s.seqincrement, s.seqmin, " +
    "s.seqmax, s.seqstart, s.seqcache, s.seqcycle FROM pg_catalog.pg_attribute a " +
    "JOIN pg_catalog.pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum " +
    "AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i' " +
    "JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid " +
    `WHERE a.attrelid = ${oid} AND a.attidentity <> ''`);
  const texts = new Map<number, string>();
  for (const [attnum, identity, increment, min, max, start, cache, cycle] of rows) {
    texts.set(Number(attnum), ` GENERATED ${identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS ` +
      `IDENTITY (INCREMENT BY ${String(increment)} MINVALUE ${String(min)} MAXVALUE ` +
      `${String(max)} START WITH ${String(start)} CACHE ${String(cache)} ` +
      `${cycle === true ? "" : "NO "}CYCLE)`);
  }
  return texts;
}

/** Per index, by index oid: its constraint or its CREATE INDEX, then CLUSTER ON. */
async function indexEvents(query: Query, oid: number, table: string): Promise<string[]> {
  const indexes = await query("SELECT ic.relname, c.conname, " +
    "pg_catalog.pg_get_constraintdef(c.oid), pg_catalog.pg_get_indexdef(i.indexrelid), " +
    "i.indisclustered FROM pg_catalog.pg_index i " +
    "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid " +
    "LEFT JOIN pg_catalog.pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = " +
    `i.indrelid AND c.contype IN ('p', 'u', 'x') WHERE i.indrelid = ${oid} ` +
    "ORDER BY i.indexrelid");
  const events: string[] = [];
  for (const [index, constraint, constraintDef, indexDef, clustered] of indexes) {
    events.push(typeof constraint === "string"
      ? `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdentifier(constraint)} ` +
        String(constraintDef)
      : String(indexDef));
    if (clustered === true) {
      events.push(`ALTER TABLE ${table} CLUSTER ON ${quoteIdentifier(String(index))}`);
    }
  }
  return events;
}

const triggerStates: Readonly<Record<string, string>> = {
  O: "ENABLE", A: "ENABLE ALWAYS", R: "ENABLE REPLICA", D: "DISABLE",
};

/** Per user trigger, by name: CREATE TRIGGER, then its ENABLE / DISABLE state. */
async function triggerEvents(query: Query, oid: number, table: string): Promise<string[]> {
  const triggers = await query("SELECT tgname, pg_catalog.pg_get_triggerdef(oid, false), " +
    `tgenabled FROM pg_catalog.pg_trigger WHERE tgrelid = ${oid} AND NOT tgisinternal ` +
    "ORDER BY tgname");
  return triggers.flatMap(([trigger, definition, enabled]) => [String(definition),
    `ALTER TABLE ${table} ${triggerStates[String(enabled)] ?? "ENABLE"} TRIGGER ` +
    `${quoteIdentifier(String(trigger))};`]);
}

/** Runs one query in the coordinator's engine and returns its rows. */
async function localRows(cluster: Cluster, sql: string, ctx: StatementContext):
  Promise<Row[]> {
  const stmt = parseStatements(sql)[0]!.stmt;
  const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
  try {
    return (await cursor.fetch(0)).rows;
  } finally {
    cursor.close();
  }
}

/** `ctx` with an empty search_path: every other member is the context's own. */
function withEmptySearchPath(ctx: StatementContext): StatementContext {
  const setting = (name: string): string => (name === "search_path" ? "" : ctx.setting(name));
  return new Proxy(ctx, {
    get(target, property): unknown {
      if (property === "setting") return setting;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}
