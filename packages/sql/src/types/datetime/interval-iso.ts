/**
 * ISO 8601 interval input: the designator form 'P1Y2M3DT4H5M6.5S' (also weeks, 'P1W',
 * and fractions in any field) and the alternative form 'P0001-02-03T04:05:06'.
 */
import { syntaxError } from "./decode.js";
import { addUnit, type IntervalParts } from "./interval.js";

const dateUnits: Readonly<Record<string, readonly ["months" | "days", number]>> = {
  Y: ["months", 12], M: ["months", 1], W: ["days", 7], D: ["days", 1],
};
const timeUnits: Readonly<Record<string, number>> = { H: 3.6e9, M: 6e7, S: 1e6 };

export function parseIsoInterval(trimmed: string, input: string): IntervalParts {
  const body = trimmed.slice(1).toUpperCase();
  const parts: IntervalParts = { months: 0, days: 0, micros: 0 };
  if (body === "") throw syntaxError({ typeName: "interval", input });
  const alternative = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?))?$/.exec(body);
  if (alternative !== null) {
    const [, years, months, days, hours, minutes, seconds] = alternative;
    parts.months = Number(years) * 12 + Number(months);
    parts.days = Number(days);
    parts.micros = Number(hours ?? 0) * 3.6e9 + Number(minutes ?? 0) * 6e7 +
      Math.round(Number(seconds ?? 0) * 1e6);
    return parts;
  }
  const tAt = body.indexOf("T");
  const datePart = tAt < 0 ? body : body.slice(0, tAt);
  const timePart = tAt < 0 ? "" : body.slice(tAt + 1);
  if (tAt >= 0 && timePart === "") throw syntaxError({ typeName: "interval", input });
  for (const [value, unit] of designators(datePart, input)) {
    const target = dateUnits[unit];
    if (target === undefined) throw syntaxError({ typeName: "interval", input });
    addUnit(parts, value, target[0], target[1]);
  }
  for (const [value, unit] of designators(timePart, input)) {
    const factor = timeUnits[unit];
    if (factor === undefined) throw syntaxError({ typeName: "interval", input });
    addUnit(parts, value, "micros", factor);
  }
  return parts;
}

function designators(text: string, input: string): [number, string][] {
  const out: [number, string][] = [];
  const pattern = /([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)([A-Z])/gy;
  let consumed = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    out.push([Number(match[1]), match[2] ?? ""]);
    consumed = pattern.lastIndex;
  }
  if (consumed !== text.length) throw syntaxError({ typeName: "interval", input });
  return out;
}
