/**
 * SET ROLE, RESET ROLE and SET | RESET SESSION AUTHORIZATION. The session keeps two settings:
 * `session_authorization` (the session user, the login role until a superuser changes it)
 * and `role` ("none", or the role SET ROLE chose). The current user, which every statement
 * runs as and privileges are checked against, is the role when one is set, else the session
 * user. The engine says whether a switch is allowed (`QueryEngine.checkRoleSwitch`): SET ROLE
 * to a role the session user is a member of, SET SESSION AUTHORIZATION by a superuser login.
 *
 * While a SECURITY DEFINER function runs, the current user is its owner (PostgreSQL's
 * SetUserIdAndSecContext): a stack per session, above both settings, that neither SHOW role
 * nor session_user sees. Neither setting may change inside such a function.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { QueryEngine } from "../api.js";
import type { SessionSettings } from "./settings.js";

export interface RoleSwitchScope {
  readonly settings: SessionSettings;
  readonly engine: QueryEngine;
  /** The role the client logged in as. */
  readonly authenticatedUser: string;
}

/** The owners of the SECURITY DEFINER functions running in each session, innermost last. */
const definers = new WeakMap<SessionSettings, string[]>();

/**
 * Makes `owner` the current user until the returned function runs (at the function's exit,
 * also when it fails); exits of inner functions not yet made are made with it.
 */
export function enterDefinerRole(settings: SessionSettings, owner: string): () => void {
  let stack = definers.get(settings);
  if (stack === undefined) definers.set(settings, stack = []);
  const depth = stack.length;
  stack.push(owner);
  return () => {
    stack.length = Math.min(stack.length, depth);
  };
}

/** Drops every SECURITY DEFINER role: the statement that ran the functions ended. */
export function clearDefinerRoles(settings: SessionSettings): void {
  const stack = definers.get(settings);
  if (stack !== undefined) stack.length = 0;
}

/** Refuses SET ROLE and SET SESSION AUTHORIZATION inside a SECURITY DEFINER function. */
export function checkRoleSettable(settings: SessionSettings, setting: string): void {
  const name = setting.toLowerCase();
  if (name !== "role" && name !== "session_authorization") return;
  if ((definers.get(settings)?.length ?? 0) === 0) return;
  throw new SqlError(SqlState.insufficientPrivilege,
    `cannot set parameter "${name}" within security-definer function`);
}

/** The current user: a SECURITY DEFINER function's owner, the role SET ROLE chose, or the
 * session user. */
export function currentUserOf(settings: SessionSettings, authenticatedUser: string): string {
  const definer = definers.get(settings)?.at(-1);
  if (definer !== undefined) return definer;
  const role = settings.get("role");
  if (role !== "none" && role !== "") return role;
  const session = settings.get("session_authorization");
  return session === "" ? authenticatedUser : session;
}

/** Runs a role switch and returns its command tag, or undefined for other statements. */
export function switchRole(stmt: ast.Node, scope: RoleSwitchScope): string | undefined {
  if ("DiscardStmt" in stmt && (stmt.DiscardStmt.target ?? "DISCARD_ALL") === "DISCARD_ALL") {
    // DISCARD ALL begins with SET SESSION AUTHORIZATION DEFAULT; the session then runs it.
    scope.settings.set("session_authorization", scope.authenticatedUser,
      { local: false, internal: true });
    scope.settings.set("role", "none", { local: false, internal: true });
    return undefined;
  }
  if (!("VariableSetStmt" in stmt)) return undefined;
  const set = stmt.VariableSetStmt;
  const name = (set.name ?? "").toLowerCase();
  if (name !== "role" && name !== "session_authorization") return undefined;
  checkRoleSettable(scope.settings, name);
  const check = scope.engine.checkRoleSwitch?.bind(scope.engine);
  if (check === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `SET ${name === "role" ? "ROLE" : "SESSION AUTHORIZATION"} is not supported here`);
  }
  const value = set.kind === "VAR_SET_VALUE" ? valueOf(set.args) : undefined;
  const local = set.is_local === true;
  const tag = set.kind === "VAR_RESET" ? "RESET" : "SET";
  if (name === "role") {
    if (value === undefined || value === "none") {
      scope.settings.set("role", "none", { local, internal: true });
      return tag;
    }
    const sessionUser = currentSessionUser(scope);
    check("role", value, sessionUser);
    scope.settings.set("role", value, { local, internal: true });
    return tag;
  }
  const target = value ?? scope.authenticatedUser;
  check("session_authorization", target, scope.authenticatedUser);
  scope.settings.set("session_authorization", target, { local, internal: true });
  scope.settings.set("role", "none", { local, internal: true });
  return tag;
}

function currentSessionUser(scope: RoleSwitchScope): string {
  const session = scope.settings.get("session_authorization");
  return session === "" ? scope.authenticatedUser : session;
}

function valueOf(args: readonly ast.Node[] | undefined): string {
  const arg = args?.[0];
  if (arg !== undefined && "A_Const" in arg) return arg.A_Const.sval?.sval ?? "";
  return "";
}
