/**
 * regconfig: a text search configuration, an OID on the inside and its name outside, like the
 * other reg* types. Tessera has the two built-in configurations every application relies on.
 *
 *   'english'::regconfig -> 13164 inside, printed "english"; 'pg_catalog.Simple' -> 3748
 */
import { SqlError, SqlState } from "@tessera/base";
import { oidIo, parseOid } from "./integer.js";
import type { TypeIo } from "./type-io.js";

/** The built-in text search configurations, with PostgreSQL 15's OIDs. */
export const TsConfigOid = { simple: 3748, english: 13164 } as const;

const configNames: ReadonlyMap<number, string> = new Map([
  [TsConfigOid.simple, "simple"], [TsConfigOid.english, "english"],
]);

/** The name of configuration `oid`, or undefined for an unknown OID. */
export function tsConfigName(oid: number): string | undefined {
  return configNames.get(oid);
}

/** Resolves a configuration name ('english', 'pg_catalog.simple', '"english"'). */
export function tsConfigByName(text: string): number {
  const parts = text.trim().split(".").map((part) =>
    part.startsWith("\"") && part.endsWith("\"") && part.length >= 2
      ? part.slice(1, -1) : part.toLowerCase());
  const name = parts.length === 2 && parts[0] === "pg_catalog" ? parts[1] : parts.length === 1
    ? parts[0] : undefined;
  for (const [oid, known] of configNames) if (known === name) return oid;
  throw new SqlError(SqlState.undefinedObject,
    `text search configuration "${text.trim()}" does not exist`);
}

export const regconfigIo: TypeIo = {
  ...oidIo,
  input(text) {
    if (/^\s*\d+\s*$/.test(text)) return parseOid(text, "regconfig");
    if (text.trim() === "-") return 0;
    return tsConfigByName(text);
  },
  output(value) {
    const oid = value as number;
    if (oid === 0) return "-";
    return tsConfigName(oid) ?? String(oid);
  },
};

/** Checks a default_text_search_config value; returns the spelling SHOW prints. */
export function tsConfigSettingValue(value: string): string {
  let oid: number;
  try {
    oid = tsConfigByName(value);
  } catch {
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for parameter "default_text_search_config": "${value}"`);
  }
  return `pg_catalog.${tsConfigName(oid) ?? ""}`;
}
