/**
 * Qualified names as text, the way regclass input reads them: `a.b` or `"A"."b"`. Stored
 * `nextval('…')` defaults name their sequence this way. Light on imports on purpose: the
 * catalog's low modules (dependencies, CREATE TABLE) use it.
 */

/** Splits `a.b` or `"A"."b"` into its identifiers, folding unquoted ones to lower case. */
export function splitQualifiedName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, "\"") : m[2]!.trim().toLowerCase());
  }
  return parts;
}

/** `schema.name`, each part double-quoted unless it is a plain lower-case identifier. */
export function qualifiedNameText(schema: string, name: string): string {
  const quote = (s: string): string =>
    (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, "\"\"")}"`);
  return `${quote(schema)}.${quote(name)}`;
}
