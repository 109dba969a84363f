/**
 * Storage parameters (`WITH (fillfactor = 70)`, `ALTER TABLE … SET (…)`): checked as
 * Postgres's reloptions.c checks them, then ignored, since the row store has no pages to fill.
 * pgbench creates its tables WITH (fillfactor = …).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";

/** Integer parameters with their bounds; the boolean and other ones are accepted as given. */
const integerBounds: Readonly<Record<string, readonly [number, number]>> = {
  fillfactor: [10, 100], toast_tuple_target: [128, 8160], parallel_workers: [0, 1024],
  autovacuum_vacuum_threshold: [0, 2147483647], autovacuum_analyze_threshold: [0, 2147483647],
  autovacuum_vacuum_insert_threshold: [-1, 2147483647],
  autovacuum_vacuum_cost_limit: [1, 10000], autovacuum_freeze_min_age: [0, 1000000000],
  autovacuum_freeze_max_age: [100000, 2000000000], autovacuum_freeze_table_age: [0, 2000000000],
  log_autovacuum_min_duration: [-1, 2147483647],
};

const otherNames = new Set(["autovacuum_enabled", "autovacuum_vacuum_scale_factor",
  "autovacuum_analyze_scale_factor", "autovacuum_vacuum_insert_scale_factor",
  "autovacuum_vacuum_cost_delay", "user_catalog_table", "vacuum_index_cleanup",
  "vacuum_truncate"]);

/** Checks a list of storage parameters; `reset` lists names only. */
export function checkRelOptions(options: readonly ast.Node[] | undefined, reset = false): void {
  for (const node of options ?? []) {
    if (!("DefElem" in node)) continue;
    const def = node.DefElem;
    const name = def.defname ?? "";
    if (def.defnamespace === "toast") continue;
    const bounds = integerBounds[name];
    if (bounds === undefined && !otherNames.has(name)) {
      throw new SqlError(SqlState.invalidParameterValue, `unrecognized parameter "${name}"`);
    }
    if (reset || bounds === undefined || def.arg === undefined) continue;
    const text = "Integer" in def.arg ? String(def.arg.Integer.ival ?? 0)
      : "String" in def.arg ? def.arg.String.sval ?? "" : "";
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim())) {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid value for integer option "${name}": ${text}`);
    }
    if (value < bounds[0] || value > bounds[1]) {
      throw new SqlError(SqlState.invalidParameterValue,
        `value ${text} out of bounds for option "${name}"`,
        { detail: `Valid values are between "${bounds[0]}" and "${bounds[1]}".` });
    }
  }
}
