/**
 * information_schema's four tables about the SQL implementation itself: sql_features (from
 * `sql-features-data.ts`), sql_implementation_info, sql_parts and sql_sizing, with the rows
 * PostgreSQL 15's initdb loads. They never change, except DBMS VERSION, which initdb writes
 * from the server version as `major.minor.0000` (two digits each): "15.00.0000" here.
 */
import type { Row } from "@tessera/sql";
import { serverVersion } from "../../session/settings.js";
import { sqlFeatureLines } from "./sql-features-data.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

/** Expands `sqlFeatureLines` (see its comment) into sql_features rows. */
function featureRows(): Row[] {
  const rows: Row[] = [];
  let mainName = "";
  for (const line of sqlFeatureLines.split("\n")) {
    const fields = line.split("|");
    const supported = (flag: string | undefined): string => (flag === "Y" ? "YES" : "NO");
    if (fields.length === 4) {
      const [id, name, flag, comments] = fields;
      mainName = name ?? "";
      rows.push([id ?? "", mainName, "", "", supported(flag), null, comments ?? ""]);
    } else {
      const [id, name, subId, subName, flag, comments] = fields;
      rows.push([id ?? "", name === "" ? mainName : name ?? "", subId ?? "", subName ?? "",
        supported(flag), null, comments ?? ""]);
    }
  }
  return rows;
}

let features: Row[] | undefined;

/** `major.minor.0000` as initdb prints the version (`15.0` gives `15.00.0000`). */
function infoVersion(): string {
  const [major, minor] = serverVersion.split(".");
  const two = (part: string | undefined): string => (part ?? "0").padStart(2, "0");
  return `${two(major)}.${two(minor)}.0000`;
}

const sameLength = "Might be less, depending on character set.";

function implementationRows(): Row[] {
  return [
    ["10003", "CATALOG NAME", null, "Y", null],
    ["10004", "COLLATING SEQUENCE", null, "ucs_basic", null],
    ["23", "CURSOR COMMIT BEHAVIOR", 1, null, "close cursors and retain prepared statements"],
    ["2", "DATA SOURCE NAME", null, "", null],
    ["17", "DBMS NAME", null, "PostgreSQL", null],
    ["26", "DEFAULT TRANSACTION ISOLATION", 2, null, "READ COMMITTED; user-settable"],
    ["28", "IDENTIFIER CASE", 3, null, "stored in mixed case - case sensitive"],
    ["85", "NULL COLLATION", 0, null, "nulls higher than non-nulls"],
    ["13", "SERVER NAME", null, "", null],
    ["94", "SPECIAL CHARACTERS", null, "", "all non-ASCII characters allowed"],
    ["46", "TRANSACTION CAPABLE", 2, null, "both DML and DDL"],
    ["18", "DBMS VERSION", null, infoVersion(), null],
  ];
}

const parts: readonly (readonly [string, string])[] = [
  ["1", "Framework (SQL/Framework)"], ["2", "Foundation (SQL/Foundation)"],
  ["3", "Call-Level Interface (SQL/CLI)"], ["4", "Persistent Stored Modules (SQL/PSM)"],
  ["9", "Management of External Data (SQL/MED)"], ["10", "Object Language Bindings (SQL/OLB)"],
  ["11", "Information and Definition Schema (SQL/Schemata)"],
  ["13", "Routines and Types Using the Java Programming Language (SQL/JRT)"],
  ["14", "XML-Related Specifications (SQL/XML)"], ["15", "Multi-Dimensional Arrays (SQL/MDA)"],
];

/** sql_sizing: id, name, supported value (null: no limit known), comments. */
const sizing: readonly Row[] = [
  [97, "MAXIMUM COLUMNS IN GROUP BY", 0, null], [99, "MAXIMUM COLUMNS IN ORDER BY", 0, null],
  [100, "MAXIMUM COLUMNS IN SELECT", 1664, null], [101, "MAXIMUM COLUMNS IN TABLE", 1600, null],
  [1, "MAXIMUM CONCURRENT ACTIVITIES", 0, null], [0, "MAXIMUM DRIVER CONNECTIONS", null, null],
  [20000, "MAXIMUM STATEMENT OCTETS", 0, null],
  [20001, "MAXIMUM STATEMENT OCTETS DATA", 0, null],
  [20002, "MAXIMUM STATEMENT OCTETS SCHEMA", 0, null],
  [106, "MAXIMUM TABLES IN SELECT", 0, null],
  [25000, "MAXIMUM CURRENT DEFAULT TRANSFORM GROUP LENGTH", null, null],
  [25001, "MAXIMUM CURRENT TRANSFORM GROUP LENGTH", null, null],
  [25002, "MAXIMUM CURRENT PATH LENGTH", 0, null],
  [25003, "MAXIMUM CURRENT ROLE LENGTH", null, null],
  [34, "MAXIMUM CATALOG NAME LENGTH", 63, sameLength],
  [30, "MAXIMUM COLUMN NAME LENGTH", 63, sameLength],
  [31, "MAXIMUM CURSOR NAME LENGTH", 63, sameLength],
  [10005, "MAXIMUM IDENTIFIER LENGTH", 63, sameLength],
  [32, "MAXIMUM SCHEMA NAME LENGTH", 63, sameLength],
  [35, "MAXIMUM TABLE NAME LENGTH", 63, sameLength],
  [107, "MAXIMUM USER NAME LENGTH", 63, sameLength],
  [25004, "MAXIMUM SESSION USER LENGTH", 63, sameLength],
  [25005, "MAXIMUM SYSTEM USER LENGTH", 63, sameLength],
];

/** The names of this module's relations: tables in PostgreSQL, so pg_views leaves them out. */
export const sqlTableNames: ReadonlySet<string> = new Set(["sql_features",
  "sql_implementation_info", "sql_parts", "sql_sizing"]);

/** sql_features, sql_implementation_info, sql_parts and sql_sizing. */
export function sqlTables(): ReturnType<typeof fixedView>[] {
  return [
    fixedView(13391, schema, "sql_features", `feature_id:s feature_name:s sub_feature_id:s
      sub_feature_name:s is_supported:y is_verified_by:s comments:s`,
    () => (features ??= featureRows())),
    fixedView(13396, schema, "sql_implementation_info", `implementation_info_id:s
      implementation_info_name:s integer_value:i character_value:s comments:s`,
    implementationRows),
    fixedView(13401, schema, "sql_parts", `feature_id:s feature_name:s is_supported:y
      is_verified_by:s comments:s`,
    () => parts.map(([id, name]): Row => [id, name, "NO", null, ""])),
    fixedView(13406, schema, "sql_sizing", `sizing_id:i sizing_name:s supported_value:i
      comments:s`, () => [...sizing]),
  ];
}
