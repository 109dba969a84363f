/**
 * Drives the real interactive `psql` in a pseudo-terminal, as a user at a keyboard: types a
 * line, presses Tab twice (complete, then list the candidates), and records everything psql
 * writes back. Node has no pty, so a small Python program (its `pty` module) runs psql.
 *
 * Each line is followed by Ctrl-U (readline's unix-line-discard, which clears it) and a marker
 * typed after it. readline handles keys in order and runs the completion queries in between,
 * so once the marker's echo arrives, everything the Tab presses produced has arrived too; no
 * timing guesses.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

const driver = String.raw`
import json, os, pty, select, sys, time
port, inputs = sys.argv[1], json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.environ.update({"TERM": "dumb", "PAGER": "cat", "COLUMNS": "120", "LINES": "50"})
    conninfo = "host=127.0.0.1 port=%s dbname=postgres user=postgres sslmode=disable" % port
    os.execvp("psql", ["psql", "-X", conninfo])
pending = b""
def until(marker, limit=60.0):
    global pending
    deadline = time.time() + limit
    while marker not in pending:
        if time.time() > deadline:
            sys.exit("timed out waiting for %r after %r" % (marker, pending[-400:]))
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                sys.exit("psql exited: %r" % pending[-400:])
            pending += chunk
    end = pending.index(marker) + len(marker)
    out, pending = pending[:end], pending[end:]
    return out.decode("utf-8", "replace")
until(b"=# ")
results = []
for n, text in enumerate(inputs):
    marker = "#sync%d#" % n
    os.write(fd, text.encode() + b"\t\t\x15" + marker.encode())
    results.append(until(marker.encode())[:-len(marker)])
    os.write(fd, b"\x15")
os.write(fd, b"\\q\n")
os.waitpid(pid, 0)
print(json.dumps(results))
`;

/** What psql echoed for each typed line after two Tab presses, terminal control bytes included. */
export async function tabComplete(port: number, lines: readonly string[]): Promise<string[]> {
  const { stdout } = await run("python3", ["-c", driver, String(port), JSON.stringify(lines)],
    { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as string[];
}

/** The text a person sees: backspace redraws, bells and carriage returns removed. */
export function readable(echo: string): string {
  let out = "";
  for (const ch of echo) {
    if (ch === "\b") out = out.slice(0, -1);
    else if (ch !== "\u0007" && ch !== "\r") out += ch;
  }
  return out.replace(/ +$/gm, "");
}
