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
  if (parseAlternative(body, parts)) return parts;
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

const number = "([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))";
const alternativeForm = new RegExp(`^(?:(\\d{8})|${number}(?:-${number}(?:-${number})?)?)?` +
  `(?:T(?:(\\d{6})|${number}(?::${number}(?::${number})?)?))?$`);

/**
 * The alternative format (ISO 8601 4.4.3.3): 'P0001-02-03T04:05:06', 'P1-2', 'P00010203T040506'
 * and shorter prefixes of them; years, months and days, then hours, minutes and seconds.
 */
function parseAlternative(body: string, parts: IntervalParts): boolean {
  const match = alternativeForm.exec(body);
  if (match === null || body === "T") return false;
  const [, basicDate, years, months, days, basicTime, hours, minutes, seconds] = match;
  const dateFields = basicDate === undefined ? [years, months, days]
    : [basicDate.slice(0, 4), basicDate.slice(4, 6), basicDate.slice(6)];
  const timeFields = basicTime === undefined ? [hours, minutes, seconds]
    : [basicTime.slice(0, 2), basicTime.slice(2, 4), basicTime.slice(4)];
  const targets: readonly (readonly ["months" | "days" | "micros", number])[] = [
    ["months", 12], ["months", 1], ["days", 1], ["micros", 3.6e9], ["micros", 6e7],
    ["micros", 1e6]];
  [...dateFields, ...timeFields].forEach((text, index) => {
    const [field, factor] = targets[index]!;
    if (text !== undefined) addUnit(parts, Number(text), field, factor);
  });
  return true;
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
