/**
 * pg_settings rows and SHOW ALL descriptions: a setting's current value in its base unit
 * with PostgreSQL 15's metadata (`setting-catalog.ts`, `citus-setting-catalog.ts`). Settings
 * PostgreSQL hides from SHOW ALL (GUC_NO_SHOW_ALL: is_superuser, role,
 * session_authorization, some of Citus's) are left out of both, as there.
 */
import type { Row } from "@tessera/sql";
import { makeArray } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import { citusSettingCatalog, hiddenCitusSettings } from "./citus-setting-catalog.js";
import { postgresSettingCatalog, type SettingCatalogEntry } from "./setting-catalog.js";
import { serverSettingCatalog } from "./server-settings.js";
import { citusHiddenSettingNames } from "./citus-setting-rows.js";
import { type BaseUnit, valueInBaseUnit } from "./setting-values.js";

/** Where a setting's value comes from, and what RESET and the server start give it. */
export interface SettingOrigin {
  /** pg_settings.source: default, client, session, override … */
  readonly source: string;
  /** The value RESET returns to, as SHOW prints it. */
  readonly reset: string;
  /** The server's built-in value, as SHOW prints it. */
  readonly boot: string;
}

const hiddenNames: ReadonlySet<string> = new Set(["is_superuser", "role",
  "session_authorization", ...hiddenCitusSettings, ...citusHiddenSettingNames]);

/** Whether SHOW ALL and pg_settings leave a setting out (GUC_NO_SHOW_ALL). */
export function isHiddenSetting(name: string): boolean {
  return hiddenNames.has(name);
}

const serverCatalog = serverSettingCatalog();

/** The fixed metadata of a setting by lower-case name; undefined for a placeholder. */
export function settingCatalogEntry(name: string): SettingCatalogEntry | undefined {
  return postgresSettingCatalog.get(name) ?? citusSettingCatalog.get(name) ??
    serverCatalog.get(name);
}

/** SHOW ALL's description column: pg_settings.short_desc. */
export function settingDescription(name: string): string {
  return settingCatalogEntry(name)?.shortDesc ?? "";
}

const baseUnits: ReadonlySet<string> = new Set(["ms", "s", "min", "kB", "MB", "8kB"]);

/** A value as SHOW prints it, as pg_settings's setting column shows it (the base unit). */
export function settingInBaseUnit(entry: SettingCatalogEntry | undefined, shown: string):
  string {
  if (entry?.vartype !== "integer" || entry.unit === null || !baseUnits.has(entry.unit)) {
    return shown;
  }
  const value = valueInBaseUnit(shown, entry.unit as BaseUnit);
  return value === undefined ? shown : String(value);
}

/** A placeholder (custom "prefix.name") setting's row, as PostgreSQL shows one. */
const placeholder = (name: string): SettingCatalogEntry => ({ name, unit: null,
  category: "Customized Options", shortDesc: "", extraDesc: null, context: "user",
  vartype: "string", minVal: null, maxVal: null, enumvals: null });

/** The pg_settings row of one setting: `value` as SHOW prints it, `origin` its source. */
export function settingRow(name: string, displayName: string, value: string,
  origin: SettingOrigin): Row {
  const entry = settingCatalogEntry(name) ?? placeholder(name);
  const base = (shown: string): string => settingInBaseUnit(entry, shown);
  const enumvals = entry.enumvals === null ? null : makeArray(Oid.text, [...entry.enumvals]);
  return [displayName, base(value), entry.unit, entry.category, entry.shortDesc,
    entry.extraDesc, entry.context, entry.vartype, origin.source, entry.minVal, entry.maxVal,
    enumvals, base(origin.boot), base(origin.reset), null, null, false];
}
