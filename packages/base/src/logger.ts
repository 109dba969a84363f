/**
 * The logger: pino JSON lines on stderr, pretty lines when stderr is a terminal. Every
 * daemon makes one root logger and hands children (`logger.child({ session })`) down.
 */
import { pino, destination, type Logger, type LevelWithSilent } from "pino";

export type { Logger };
export type LogLevel = LevelWithSilent;

export interface LoggerOptions {
  level?: LogLevel;
  name?: string;
  /** Forces pretty output on or off; by default it follows whether stderr is a TTY. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const base = { level: options.level ?? "info", name: options.name ?? "tessera" };
  if (!pretty) return pino(base, destination({ fd: 2, sync: false }));
  return pino(base, prettyStream());
}

/** Writes "HH:MM:SS.mmm LEVEL name: msg {fields}" lines, the way a person reads a terminal. */
function prettyStream(): { write(line: string): void } {
  const levels: Record<number, string> = {
    10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL",
  };
  return {
    write(line: string): void {
      const record = JSON.parse(line) as Record<string, unknown>;
      const { level, time, msg, name, pid: _pid, hostname: _host, ...rest } = record;
      const clock = new Date(Number(time)).toISOString().slice(11, 23);
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
      const label = levels[Number(level)] ?? String(level);
      process.stderr.write(`${clock} ${label} ${String(name)}: ${String(msg)}${extra}\n`);
    },
  };
}

/** A logger that drops everything, for unit tests and embedded engines. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
