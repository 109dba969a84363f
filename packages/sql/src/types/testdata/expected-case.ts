/** One literal PostgreSQL 15 read and printed (or rejected), for text-io.test.ts. */
export interface ExpectedCase {
  type: string;
  input: string;
  settings: Record<string, string>;
  output?: string | null;
  error?: { code: string; message: string; detail?: string };
}

export function ok(type: string, input: string, settings: Record<string, string>,
  output: string | null): ExpectedCase {
  return { type, input, settings, output };
}

export function err(type: string, input: string, settings: Record<string, string>, code: string,
  message: string, detail?: string): ExpectedCase {
  const error = detail === undefined ? { code, message } : { code, message, detail };
  return { type, input, settings, error };
}
