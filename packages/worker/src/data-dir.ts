/**
 * The data directory and its lock file. One process owns a data directory at a time: the
 * lock holds the owner's pid, a second process refuses to start, and a lock left behind by a
 * dead process is taken over, as Postgres's postmaster.pid.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { join, resolve } from "node:path";
import { assert } from "@tessera/base";

export const lockFileName = "tessera.pid";

export class DataDirectoryLock {
  private released = false;
  private constructor(readonly path: string) {}

  /** Creates the directory if needed and takes its lock, or throws a clear refusal. */
  static acquire(dataDir: string): DataDirectoryLock {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, lockFileName);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, "wx", 0o600);
        writeSync(fd, `${process.pid}\n${dir}\n`);
        closeSync(fd);
        return new DataDirectoryLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const owner = Number.parseInt(readFileSync(path, "utf8").split("\n")[0] ?? "", 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new Error(`lock file "${path}" already exists: another tessera process `
          + `(PID ${owner}) is using data directory "${dir}"`);
      }
      rmSync(path, { force: true });
    }
    throw new Error(`could not create lock file "${path}"`);
  }

  release(): void {
    assert(!this.released, "a lock is released once");
    this.released = true;
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
