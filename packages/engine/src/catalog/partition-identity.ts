/**
 * PostgreSQL 15 has no identity columns on partitions: CREATE TABLE … PARTITION OF with
 * `col WITH OPTIONS GENERATED … AS IDENTITY` raises 0A000.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";

export function refusePartitionIdentity(elements: readonly ast.Node[]): void {
  for (const node of elements) {
    if (!("ColumnDef" in node)) continue;
    const identity = (node.ColumnDef.constraints ?? []).some((c) => "Constraint" in c &&
      c.Constraint.contype === "CONSTR_IDENTITY");
    if (identity) {
      throw new SqlError(SqlState.featureNotSupported,
        "identity columns are not supported on partitions");
    }
  }
}
