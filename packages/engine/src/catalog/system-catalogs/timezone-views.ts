/**
 * pg_timezone_names and pg_timezone_abbrevs. The names are the zones of the system's
 * compiled tz database (/usr/share/zoneinfo, the TZif files `@tessera/sql` reads for the
 * TimeZone setting; PostgreSQL built with --with-system-tzdata, as Debian's is, reads the
 * same directory): every file that starts with the TZif magic, `right/` (leap-second
 * variants) left out, that Tessera's TimeZone setting accepts (`findZone`). PostgreSQL also
 * lists the `posix/` aliases, Factory, localtime and posixrules (1198 rows here against
 * Tessera's 597), names `SET TimeZone` does not take in Tessera. Each row shows the
 * abbreviation and offset in force now and whether that is daylight time: an offset above
 * the smaller of the zone's January and July offsets of this year. The abbreviations are
 * PostgreSQL's "Default" timezone_abbreviations set as Tessera knows it for input
 * (`zoneAbbreviations`), with daylight ones flagged.
 */
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { findZone, zoneAbbreviations, type Row } from "@tessera/sql";
import type { SystemRelationDef } from "../system-relations.js";
import { fixedView } from "./view-columns.js";

const zoneDirectory = "/usr/share/zoneinfo";
let zoneNames: readonly string[] | undefined;

function isTzif(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.toString("latin1") === "TZif";
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The zone names of the tz database, found once. */
function allZoneNames(): readonly string[] {
  if (zoneNames !== undefined) return zoneNames;
  const found: string[] = [];
  const visit = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (name !== "right") visit(join(dir, entry.name), name);
      } else if (isTzif(join(dir, entry.name))) {
        found.push(name);
      }
    }
  };
  visit(zoneDirectory, "");
  zoneNames = found.sort();
  return zoneNames;
}

const interval = (seconds: number): Row[number] =>
  ({ months: 0, days: 0, micros: BigInt(seconds) * 1_000_000n });

function zoneRows(): Row[] {
  const now = Math.floor(Date.now() / 1000);
  const year = new Date().getUTCFullYear();
  const jan = Date.UTC(year, 0, 1) / 1000;
  const jul = Date.UTC(year, 6, 1) / 1000;
  return allZoneNames().flatMap((name): Row[] => {
    const zone = findZone(name);
    if (zone === undefined) return [];
    const offset = zone.offsetAt(now);
    const standard = Math.min(zone.offsetAt(jan), zone.offsetAt(jul));
    return [[name, zone.abbreviationAt(now), interval(offset), offset > standard]];
  });
}

/** The daylight-time abbreviations of the Default set. */
const daylight = new Set(["west", "bst", "cest", "mest", "eest", "acdt", "aedt", "nzdt",
  "adt", "edt", "cdt", "mdt", "pdt", "akdt", "ndt"]);

function abbreviationRows(): Row[] {
  return [...zoneAbbreviations].sort(([a], [b]) => (a < b ? -1 : 1)).map(([abbrev, offset]):
    Row => [abbrev.toUpperCase(), interval(offset), daylight.has(abbrev)]);
}

/** pg_timezone_names and pg_timezone_abbrevs. */
export const timezoneViews: readonly SystemRelationDef[] = [
  fixedView(12126, "pg_catalog", "pg_timezone_names",
    "name:t abbrev:t utc_offset:interval is_dst:b", zoneRows),
  fixedView(12122, "pg_catalog", "pg_timezone_abbrevs", "abbrev:t utc_offset:interval is_dst:b",
    abbreviationRows),
];
