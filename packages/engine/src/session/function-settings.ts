/**
 * Settings changed from inside functions: SET / SET LOCAL / RESET statements of PL/pgSQL
 * bodies, set_config(), and the SET clauses of CREATE FUNCTION (proconfig), nested as
 * PostgreSQL's guc.c nests them. Outside a transaction block the statement that calls the
 * function is its own transaction: when it ends, its SET LOCALs are undone, and so is every
 * change when it fails (`statementEnded`).
 *
 * A function with SET clauses opens a level: at its exit every change made since its entry
 * goes back (the clauses and SET LOCAL), except plain SETs and RESETs, which persist as in
 * PostgreSQL ("an ordinary SET command overrides the SET clause").
 */
import type { ast } from "@tessera/sql";
import type { SqlError } from "@tessera/base";
import type { SettingChanges } from "../api.js";
import type { SessionSettings } from "./settings.js";
import type { TransactionBlock } from "./transaction-block.js";
import { runUtility } from "./utility.js";
import { checkRoleSettable, clearDefinerRoles, enterDefinerRole } from "./role-switch.js";

/** A running function with SET clauses: where its changes start, and its plain SETs. */
interface Level {
  readonly mark: number;
  /** Settings given a session value (SET, RESET) inside it, with that value (or removed). */
  readonly plain: Map<string, string | undefined>;
}

export class FunctionSettings implements SettingChanges {
  /** A settings transaction opened for one statement outside a transaction block. */
  private statementOpen = false;
  private readonly levels: Level[] = [];

  constructor(private readonly settings: SessionSettings,
    private readonly block: TransactionBlock,
    private readonly notice: (notice: SqlError) => void) {}

  run(stmt: ast.VariableSetStmt): string {
    checkRoleSettable(this.settings, stmt.name ?? "");
    this.open();
    const result = runUtility({ VariableSetStmt: stmt }, { settings: this.settings,
      block: this.block, notice: this.notice, insideFunction: true });
    if (stmt.is_local !== true && stmt.name !== undefined) this.notePlain(stmt.name);
    return result.commandTag;
  }

  /** set_config(name, value, is_local): SET [LOCAL] as a function. */
  setConfig(name: string, value: string, local: boolean): string {
    checkRoleSettable(this.settings, name);
    this.open();
    this.settings.set(name, value, { local });
    if (!local) this.notePlain(name);
    return this.settings.get(name);
  }

  mark(): number {
    this.open();
    return this.settings.savepointMark();
  }

  rollbackTo(mark: number): void {
    this.settings.rollbackToMark(mark);
  }

  enter(config: readonly (readonly [string, string])[]): () => void {
    this.open();
    const level: Level = { mark: this.settings.savepointMark(), plain: new Map() };
    this.levels.push(level);
    try {
      for (const [name, value] of config) this.settings.set(name, value, { local: true });
    } catch (error) {
      this.exit(level);
      throw error;
    }
    return () => this.exit(level);
  }

  /** A SECURITY DEFINER function runs as `owner` until the returned function is called. */
  enterRole(owner: string): () => void {
    return enterDefinerRole(this.settings, owner);
  }

  /** The statement ended: a settings transaction of its own commits or rolls back. */
  statementEnded(ok: boolean): void {
    this.levels.length = 0;
    clearDefinerRoles(this.settings);
    if (!this.statementOpen) return;
    this.statementOpen = false;
    if (this.block.status === "I") this.settings.endTransaction(ok);
  }

  /** Outside a block the statement's changes get an undo list of their own. */
  private open(): void {
    if (this.block.status !== "I" || this.statementOpen) return;
    this.settings.beginTransaction();
    this.statementOpen = true;
  }

  private notePlain(name: string): void {
    const level = this.levels[this.levels.length - 1];
    level?.plain.set(name.toLowerCase(), this.settings.find(name));
  }

  /** Leaves a level: its changes go back, then its plain SETs are made again. */
  private exit(level: Level): void {
    const at = this.levels.lastIndexOf(level);
    if (at < 0) return;
    this.levels.length = at;
    this.settings.rollbackToMark(level.mark);
    for (const [name, value] of level.plain) {
      if (value === undefined) this.settings.reset(name);
      else this.settings.set(name, value, { local: false });
      this.notePlain(name);
    }
  }
}
