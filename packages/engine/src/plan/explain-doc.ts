/**
 * EXPLAIN's structured output (Postgres's FORMAT JSON, YAML and XML) as a document: ordered
 * fields, property lists and groups, written out byte for byte the way explain.c's
 * ExplainProperty* / ExplainOpenGroup / ExplainCloseGroup lay them out.
 *
 *     [                                   the output: one unlabeled group per query
 *       {
 *         "Plan": {                       a labeled group (an object)
 *           "Node Type": "Seq Scan",      a property: text, number or boolean
 *           "Sort Key": ["a", "b"],       a property list, on one line
 *           "Plans": [ … ]                a group of unlabeled objects
 *
 * Numbers keep the text they were formatted with (`0.00`, not `0`). A `raw` item pastes
 * lines of another node's output into an array, as Citus does with a worker's plan. Also a
 * reader of JSON text back into a document, numbers kept as written, for the coordinator.
 */
import { SqlError, SqlState } from "@tessera/base";

export type DocValue =
  | { readonly kind: "text"; readonly value: string }
  | { readonly kind: "number"; readonly raw: string }
  | { readonly kind: "bool"; readonly value: boolean }
  /** A property list (ExplainPropertyList), written on one line. */
  | { readonly kind: "list"; readonly items: readonly string[] }
  /** A labeled group: `{ … }`. */
  | { readonly kind: "object"; readonly fields: readonly DocField[] }
  /** An unlabeled group: `[ … ]` of objects, nested lists or raw text. */
  | { readonly kind: "array"; readonly items: readonly DocValue[] }
  /** Output lines pasted as they are (only as an array's sole item). */
  | { readonly kind: "raw"; readonly lines: readonly string[] };

export type DocField = readonly [string, DocValue];

export type StructuredFormat = "json" | "yaml" | "xml";

export const docText = (value: string): DocValue => ({ kind: "text", value });
export const docBool = (value: boolean): DocValue => ({ kind: "bool", value });
/** A number printed with `digits` decimals (ExplainPropertyFloat), or as an integer. */
export const docNumber = (n: number, digits = 0): DocValue =>
  ({ kind: "number", raw: n.toFixed(digits) });
export const docList = (items: readonly string[]): DocValue => ({ kind: "list", items });
export const docObject = (fields: readonly DocField[]): DocValue => ({ kind: "object", fields });
export const docArray = (items: readonly DocValue[]): DocValue => ({ kind: "array", items });

/** Writes the output array (one item per query) in `format`. */
export function writeDoc(format: StructuredFormat, output: readonly DocValue[]): string {
  if (format === "xml") return new XmlWriter().output(output);
  return format === "json" ? new JsonWriter().output(output) : new YamlWriter().output(output);
}

/** JSON as explain.c writes it: two spaces per level, `,\n` between members. */
class JsonWriter {
  private text = "";
  private indent = 0;
  /** Per open group: whether a member was written (ExplainJSONLineEnding's flag). */
  private readonly started: boolean[] = [];

  output(items: readonly DocValue[]): string {
    this.text = "[";
    this.groupBody(items.map((item) => [null, item] as const));
    this.text += "\n]";
    return this.text;
  }

  private groupBody(members: readonly (readonly [string | null, DocValue])[]): void {
    this.started.push(false);
    this.indent++;
    for (const [label, value] of members) {
      if (value.kind === "raw") this.raw(value.lines);
      else this.member(label, value);
    }
    this.indent--;
    this.started.pop();
  }

  private member(label: string | null, value: DocValue): void {
    const top = this.started.length - 1;
    if (this.started[top] === true) this.text += ",";
    this.started[top] = true;
    this.text += `\n${pad(this.indent)}${label === null ? "" : `${quote(label)}: `}`;
    switch (value.kind) {
      case "text": this.text += quote(value.value); break;
      case "number": this.text += value.raw; break;
      case "bool": this.text += value.value ? "true" : "false"; break;
      case "list": this.text += `[${value.items.map(quote).join(", ")}]`; break;
      case "object":
        this.text += "{";
        this.groupBody(value.fields);
        this.text += `\n${pad(this.indent)}}`;
        break;
      case "array":
        this.text += "[";
        this.groupBody(value.items.map((item) => [null, item] as const));
        this.text += `\n${pad(this.indent)}]`;
        break;
      case "raw": break;
    }
  }

  /** Citus's pasted remote plan: a line break, then every line at this group's indent. */
  private raw(lines: readonly string[]): void {
    this.text += "\n";
    for (const line of lines) this.text += `${pad(this.indent)}${line}\n`;
  }
}

/** YAML as explain.c writes it: `- ` for unlabeled groups, every text value quoted. */
class YamlWriter {
  private text = "";
  private indent = 0;
  /** Per open group: whether the next member starts a new line (ExplainYAMLLineStarting). */
  private readonly started: boolean[] = [];

  output(items: readonly DocValue[]): string {
    this.started.push(false);
    for (const item of items) this.member(null, item);
    return this.text;
  }

  private lineStart(): void {
    const top = this.started.length - 1;
    if (this.started[top] === true) this.text += `\n${pad(this.indent)}`;
    else this.started[top] = true;
  }

  private member(label: string | null, value: DocValue): void {
    this.lineStart();
    const head = label === null ? "" : `${label}: `;
    switch (value.kind) {
      case "text": this.text += head + quote(value.value); return;
      case "number": this.text += head + value.raw; return;
      case "bool": this.text += head + (value.value ? "true" : "false"); return;
      case "list":
        if (label === null) {
          this.text += `- [${value.items.map(quote).join(", ")}]`;
          return;
        }
        this.text += head;
        for (const item of value.items) this.text += `\n${pad(this.indent + 1)}- ${quote(item)}`;
        return;
      case "raw": return;
      default: break;
    }
    const raw = value.kind === "array" ? value.items[0] : undefined;
    if (raw?.kind === "raw") {
      // Citus pastes a worker's YAML under the label, one level in, each line ended.
      this.text += `${head}\n${raw.lines.map((l) => `${pad(this.indent + 1)}${l}\n`).join("")}`;
      return;
    }
    const members = value.kind === "object" ? value.fields
      : value.items.map((item) => [null, item] as const);
    this.text += label === null ? "- " : head;
    this.started.push(label !== null);
    this.indent++;
    for (const [l, v] of members) this.member(l, v);
    this.indent--;
    this.started.pop();
  }
}

/**
 * XML as explain.c writes it: a tag per group and property, names with `-` for spaces,
 * property lists as `<Item>`s. An unlabeled group takes its object type's name: `Query` at
 * the top, `Plan` in `Plans`, `Task` in Citus's `Tasks` (the list's name without its "s"),
 * `MapMergeJob` in Citus's `Dependent Jobs`.
 */
class XmlWriter {
  private text = "";

  output(items: readonly DocValue[]): string {
    this.text = "<explain xmlns=\"http://www.postgresql.org/2009/explain\">\n";
    for (const item of items) this.member("Query", item, 1);
    this.text += "</explain>";
    return this.text;
  }

  private member(tag: string, value: DocValue, indent: number): void {
    const name = tag.replaceAll(" ", "-");
    const at = pad(indent);
    switch (value.kind) {
      case "text": this.text += `${at}<${name}>${escapeXml(value.value)}</${name}>\n`; return;
      case "number": this.text += `${at}<${name}>${value.raw}</${name}>\n`; return;
      case "bool": this.text += `${at}<${name}>${String(value.value)}</${name}>\n`; return;
      case "list":
        this.text += `${at}<${name}>\n`;
        for (const item of value.items) this.text += `${at}  <Item>${escapeXml(item)}</Item>\n`;
        this.text += `${at}</${name}>\n`;
        return;
      case "raw":
        for (const line of value.lines) this.text += `${at}${line}\n`;
        return;
      case "object":
        this.text += `${at}<${name}>\n`;
        for (const [label, field] of value.fields) this.member(label, field, indent + 1);
        this.text += `${at}</${name}>\n`;
        return;
      case "array": {
        const item = tag === "Dependent Jobs" ? "MapMergeJob" : tag.replace(/s$/, "");
        this.text += `${at}<${name}>\n`;
        for (const element of value.items) this.member(item, element, indent + 1);
        this.text += `${at}</${name}>\n`;
        return;
      }
    }
  }
}

/** Text as xml.c's escape_xml writes it. */
function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll("\r", "&#x0d;");
}

function pad(level: number): string {
  return " ".repeat(level * 2);
}

/** A JSON string literal as Postgres's escape_json writes it. */
export function quote(text: string): string {
  let out = "\"";
  for (const ch of text) {
    switch (ch) {
      case "\"": out += "\\\""; break;
      case "\\": out += "\\\\"; break;
      case "\n": out += "\\n"; break;
      case "\r": out += "\\r"; break;
      case "\t": out += "\\t"; break;
      case "\b": out += "\\b"; break;
      case "\f": out += "\\f"; break;
      default: {
        const code = ch.codePointAt(0)!;
        out += code < 0x20 ? `\\u${code.toString(16).padStart(4, "0")}` : ch;
      }
    }
  }
  return `${out}"`;
}

/**
 * Reads EXPLAIN's JSON output back into a document: arrays of strings become property lists,
 * other arrays groups; numbers keep their text.
 */
export function readJsonDoc(text: string): DocValue {
  const reader = new JsonReader(text);
  const value = reader.value();
  reader.end();
  return value;
}

const stringPattern = /"(?:[^"\\]|\\.)*"/y;

class JsonReader {
  private at = 0;

  constructor(private readonly text: string) {}

  value(): DocValue {
    this.space();
    const ch = this.text[this.at];
    if (ch === "{") return this.object();
    if (ch === "[") return this.array();
    if (ch === "\"") return docText(this.string());
    for (const word of ["true", "false"]) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return docBool(word === "true");
      }
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.text.slice(this.at, this.at + 64));
    if (number === null) this.fail();
    this.at += number[0].length;
    return { kind: "number", raw: number[0] };
  }

  end(): void {
    this.space();
    if (this.at !== this.text.length) this.fail();
  }

  private object(): DocValue {
    this.at++;
    const fields: DocField[] = [];
    this.space();
    if (this.text[this.at] === "}") {
      this.at++;
      return docObject(fields);
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.expect(":");
      fields.push([key, this.value()]);
      this.space();
      if (this.text[this.at] === "}") {
        this.at++;
        return docObject(fields);
      }
      this.expect(",");
    }
  }

  private array(): DocValue {
    this.at++;
    const items: DocValue[] = [];
    this.space();
    if (this.text[this.at] !== "]") {
      for (;;) {
        items.push(this.value());
        this.space();
        if (this.text[this.at] === "]") break;
        this.expect(",");
      }
    }
    this.at++;
    if (items.length > 0 && items.every((i) => i.kind === "text")) {
      return docList(items.map((i) => (i.kind === "text" ? i.value : "")));
    }
    return docArray(items);
  }

  private string(): string {
    if (this.text[this.at] !== "\"") this.fail();
    stringPattern.lastIndex = this.at;
    const end = stringPattern.exec(this.text);
    if (end === null) this.fail();
    this.at += end[0].length;
    return JSON.parse(end[0]) as string;
  }

  private expect(ch: string): void {
    this.space();
    if (this.text[this.at] !== ch) this.fail();
    this.at++;
  }

  private space(): void {
    while (this.at < this.text.length && " \n\r\t".includes(this.text[this.at]!)) this.at++;
  }

  private fail(): never {
    throw new SqlError(SqlState.internalError,
      `could not read EXPLAIN output as JSON at offset ${this.at}`);
  }
}
