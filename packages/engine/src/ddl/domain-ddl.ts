/**
 * CREATE DOMAIN, ALTER DOMAIN (SET / DROP DEFAULT, SET / DROP NOT NULL, ADD / DROP / VALIDATE
 * CONSTRAINT, RENAME, RENAME CONSTRAINT) and DROP DOMAIN (also DROP TYPE of domains), with
 * PostgreSQL 15's errors (typecmds.c). The domains live in `catalog/domains.ts`; each change
 * records its undo on the statement's undo log, so ROLLBACK (and a failed statement) takes it
 * back, and the WAL replays the statement.
 *
 * ADD CONSTRAINT and SET NOT NULL check the stored values of every column of the domain (or
 * of a domain over it) first. DROP refuses (2BP01) while columns, domains or functions use
 * the domain; CASCADE, which would drop those columns, is refused with 0A000.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { Scope } from "../analyze/scope.js";
import { analyzeExpr } from "../analyze/expr-analyze.js";
import { tryCoerce } from "../analyze/coerce.js";
import { analyzeDomainCheck, refuseSubqueries } from "../analyze/domain-coerce.js";
import { resolveTypeName } from "../analyze/type-name.js";
import type { Catalog } from "../catalog/catalog.js";
import { bumpCatalogEpoch } from "../catalog/catalog-epoch.js";
import {
  addDomain, domainChain, domainsOf, findDomain, removeDomain, renameDomain,
  type DomainConstraint, type DomainType,
} from "../catalog/domains.js";
import { findRowType } from "../catalog/row-types.js";
import { Oid, formatTypeName, typeInfo, typeByNameOrUndefined } from "../catalog/types.js";
import { compileExpr } from "../execute/compile.js";
import { isLive } from "../storage/table-store.js";
import type { Engine } from "../engine.js";
import { newTypeSchema, nonColumnTypeUsers, qualifiedName, recordUndo } from "./enum-ddl.js";

type Notice = (message: string) => void;

const syntax = (message: string): SqlError => new SqlError(SqlState.syntaxError, message);

/** The error of a constraint kind a domain cannot have, or undefined for the allowed ones. */
function refusedConstraint(contype: string | undefined): SqlError | undefined {
  const kinds: Record<string, string> = { CONSTR_UNIQUE: "unique", CONSTR_PRIMARY: "primary key",
    CONSTR_EXCLUSION: "exclusion", CONSTR_FOREIGN: "foreign key" };
  const kind = kinds[contype ?? ""];
  if (kind !== undefined) return syntax(`${kind} constraints not possible for domains`);
  if ((contype ?? "").startsWith("CONSTR_ATTR_")) {
    return new SqlError(SqlState.featureNotSupported,
      "specifying constraint deferrability not supported for domains");
  }
  if (contype === "CONSTR_GENERATED" || contype === "CONSTR_IDENTITY") {
    return notSupported("this constraint on a domain");
  }
  return undefined;
}

/** Checks a DEFAULT expression against the base type (cookDefault); null for DEFAULT NULL. */
function cookDefault(expr: ast.Node, domain: { name: string; baseType: number;
  baseTypmod: number }, statement: StatementScope): ast.Node | null {
  if ("A_Const" in expr && expr.A_Const.isnull === true) return null;
  const scope = new Scope(statement, undefined);
  scope.clause = "DEFAULT expressions";
  refuseSubqueries(expr, "DEFAULT expression");
  const analyzed = analyzeExpr(expr, scope);
  const coerced = tryCoerce(analyzed, domain.baseType, domain.baseTypmod, "a",
    statement.params);
  if (coerced === undefined) {
    throw new SqlError(SqlState.datatypeMismatch,
      `column "${domain.name}" is of type ${formatTypeName(domain.baseType, domain.baseTypmod)}` +
      ` but default expression is of type ${formatTypeName(analyzed.type, analyzed.typmod)}`,
      { hint: "You will need to rewrite or cast the expression." });
  }
  return expr;
}

/** ChooseConstraintName: `<domain>_check`, then `…1`, `…2` past names the schema has. */
function chooseCheckName(catalog: Catalog, schema: string, domainName: string,
  taken: readonly string[]): string {
  const used = new Set(taken);
  for (const d of domainsOf(catalog).values()) {
    if (d.schema === schema) for (const c of d.constraints) used.add(c.name);
  }
  for (const rel of catalog.allRelations()) {
    if (rel.schema !== schema) continue;
    for (const c of rel.checks) used.add(c.name);
    for (const f of rel.foreignKeys) used.add(f.name);
    for (const i of rel.indexes) if (i.constraintName !== null) used.add(i.constraintName);
  }
  const base = `${domainName}_check`;
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}${i}`;
  return name;
}

function checkConstraint(catalog: Catalog, domain: DomainType, c: ast.Constraint,
  statement: StatementScope): DomainConstraint {
  if (c.is_no_inherit === true) {
    throw new SqlError(SqlState.invalidObjectDefinition,
      "check constraints for domains cannot be marked NO INHERIT");
  }
  const expr = c.raw_expr!;
  analyzeDomainCheck(expr, domain.baseType, domain.baseTypmod, statement);
  const name = c.conname ?? chooseCheckName(catalog, domain.schema, domain.name,
    domain.constraints.map((k) => k.name));
  return { oid: catalog.allocateOid(), name, expr, validated: c.skip_validation !== true };
}

/** The base type of CREATE DOMAIN: any type but a pseudo-type. */
function baseTypeOf(stmt: ast.CreateDomainStmt, statement: StatementScope):
  { type: number; typmod: number } {
  const { catalog, path } = statement;
  const resolved = resolveTypeName(stmt.typeName!, (s, n) => findRowType(catalog, path, s, n));
  const info = typeInfo(resolved.type);
  if (resolved.type === Oid.unknown || info.category === "P") {
    throw new SqlError(SqlState.datatypeMismatch,
      `"${info.sqlName}" is not a valid base type for a domain`);
  }
  if (stmt.collClause !== undefined && info.category !== "S") {
    throw new SqlError(SqlState.datatypeMismatch,
      `collations are not supported by type ${info.sqlName}`);
  }
  return { type: resolved.type, typmod: resolved.typmod };
}

export function createDomain(engine: Engine, stmt: ast.CreateDomainStmt,
  statement: StatementScope): string {
  const { catalog, path } = statement;
  const { schema: given, name } = qualifiedName(stmt.domainname);
  const schema = newTypeSchema(catalog, path, given, name);
  if (findDomain(catalog, [schema], schema, name) !== undefined) {
    throw new SqlError(SqlState.duplicateObject, `type "${name}" already exists`);
  }
  const base = baseTypeOf(stmt, statement);
  let notNull = false;
  let nullDefined = false;
  let defaultExpr: ast.Node | null = null;
  let defaultSeen = false;
  const checks: ast.Constraint[] = [];
  const shape = { name, baseType: base.type, baseTypmod: base.typmod };
  for (const node of stmt.constraints ?? []) {
    const c = "Constraint" in node ? node.Constraint : undefined;
    if (c === undefined) continue;
    const refused = refusedConstraint(c.contype);
    if (refused !== undefined) throw refused;
    if (c.contype === "CONSTR_DEFAULT") {
      if (defaultSeen) throw syntax("multiple default expressions");
      defaultSeen = true;
      defaultExpr = cookDefault(c.raw_expr!, shape, statement);
    } else if (c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_NULL") {
      const wantNotNull = c.contype === "CONSTR_NOTNULL";
      if (nullDefined && notNull !== wantNotNull) {
        throw syntax("conflicting NULL/NOT NULL constraints");
      }
      notNull = wantNotNull;
      nullDefined = true;
    } else if (c.contype === "CONSTR_CHECK") {
      checks.push(c);
    }
  }
  // DefineDomain assigns the array type's OID first.
  const arrayOid = catalog.allocateOid();
  const oid = catalog.allocateOid();
  const domain: DomainType = { oid, arrayOid, schema, name, baseType: base.type,
    baseTypmod: base.typmod, notNull, defaultExpr, constraints: [], version: 0 };
  for (const c of checks) domain.constraints.push(checkConstraint(catalog, domain, c, statement));
  addDomain(catalog, domain);
  bumpCatalogEpoch();
  recordUndo(engine, statement, () => removeDomain(catalog, domain));
  return "CREATE DOMAIN";
}

/** The domain a statement names: 42704 when no type has the name, 42809 for other types. */
function domainNamed(statement: StatementScope, nodes: readonly ast.Node[] | undefined):
  DomainType {
  const { schema, name } = qualifiedName(nodes);
  const found = findDomain(statement.catalog, statement.path, schema, name);
  if (found !== undefined) return found;
  const other = typeOidNamed(statement, schema, name);
  if (other !== undefined) {
    // checkDomainOwner names the type as format_type_be prints it.
    throw new SqlError(SqlState.wrongObjectType, `${typeInfo(other).sqlName} is not a domain`);
  }
  throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
}

function typeOidNamed(statement: StatementScope, schema: string | undefined, name: string):
  number | undefined {
  if (schema === undefined || schema === "pg_catalog") {
    const builtin = typeByNameOrUndefined(name);
    if (builtin !== undefined) return builtin.oid;
  }
  return findRowType(statement.catalog, statement.path, schema, name);
}

function typeExists(statement: StatementScope, schema: string | undefined, name: string):
  boolean {
  return typeOidNamed(statement, schema, name) !== undefined;
}

/** Every stored value of a column of `domain` (or of a domain over it), table by table. */
function columnsOfDomain(catalog: Catalog, domain: DomainType):
  { table: string; column: string; values: Value[] }[] {
  const out: { table: string; column: string; values: Value[] }[] = [];
  for (const rel of catalog.allRelations()) {
    if (rel.virtualRows !== undefined || (rel.kind !== "r" && rel.kind !== "m")) continue;
    rel.columns.forEach((c, i) => {
      if (c.dropped || !domainChain(c.type).includes(domain)) return;
      const values = rel.store.versions.filter(isLive).map((v) => v.values[i] ?? null);
      out.push({ table: rel.name, column: c.name, values });
    });
  }
  return out;
}

/**
 * find_composite_type_dependencies: 0A000 while a column holds an array of the domain or of
 * a domain over it (its elements could not be checked).
 */
function refuseArrayColumns(catalog: Catalog, domain: DomainType): void {
  const layers = [...domainsOf(catalog).values()].filter((d) => domainChain(d.oid)
    .includes(domain));
  for (const layer of layers) {
    for (const rel of catalog.allRelations()) {
      if (rel.virtualRows !== undefined) continue;
      const column = rel.columns.find((c) => !c.dropped && c.type === layer.arrayOid);
      if (column === undefined) continue;
      throw new SqlError(SqlState.featureNotSupported, `cannot alter type "${layer.name}" ` +
        `because column "${rel.name}.${column.name}" uses it`);
    }
  }
}

function validateCheck(engine: Engine, statement: StatementScope, domain: DomainType,
  constraint: DomainConstraint): void {
  refuseArrayColumns(statement.catalog, domain);
  const test = compileExpr(analyzeDomainCheck(constraint.expr, domain.baseType,
    domain.baseTypmod, statement));
  const rt = engine.runtime([], statement.ctx);
  for (const { table, column, values } of columnsOfDomain(statement.catalog, domain)) {
    if (values.every((v) => test([v], rt) !== false)) continue;
    throw new SqlError(SqlState.checkViolation,
      `column "${column}" of table "${table}" contains values that violate the new constraint`);
  }
}

/** ALTER DOMAIN: one action, undone as a whole. */
export function alterDomain(engine: Engine, stmt: ast.AlterDomainStmt,
  statement: StatementScope, notice: Notice): string {
  const domain = domainNamed(statement, stmt.typeName);
  const before = { notNull: domain.notNull, defaultExpr: domain.defaultExpr,
    constraints: domain.constraints.map((c) => ({ ...c })), list: domain.constraints };
  switch (stmt.subtype) {
    case "T":
      domain.defaultExpr = stmt.def === undefined ? null
        : cookDefault(stmt.def, domain, statement);
      break;
    case "N":
      domain.notNull = false;
      break;
    case "O":
      if (!domain.notNull) setNotNull(statement, domain);
      break;
    case "C":
      addConstraint(engine, statement, domain, stmt.def);
      break;
    case "X":
      dropConstraint(domain, stmt, notice);
      break;
    case "V":
      validateConstraint(engine, statement, domain, stmt.name ?? "");
      break;
    default:
      throw notSupported(`ALTER DOMAIN action ${stmt.subtype ?? "?"}`);
  }
  domain.version++;
  bumpCatalogEpoch();
  recordUndo(engine, statement, () => {
    domain.notNull = before.notNull;
    domain.defaultExpr = before.defaultExpr;
    domain.constraints = before.list;
    before.list.forEach((c, i) => Object.assign(c, before.constraints[i]));
    domain.version++;
  });
  return "ALTER DOMAIN";
}

function setNotNull(statement: StatementScope, domain: DomainType): void {
  for (const { table, column, values } of columnsOfDomain(statement.catalog, domain)) {
    if (!values.includes(null)) continue;
    throw new SqlError(SqlState.notNullViolation,
      `column "${column}" of table "${table}" contains null values`);
  }
  domain.notNull = true;
}

function addConstraint(engine: Engine, statement: StatementScope, domain: DomainType,
  def: ast.Node | undefined): void {
  const c = def !== undefined && "Constraint" in def ? def.Constraint : undefined;
  if (c === undefined) throw notSupported("this ALTER DOMAIN … ADD");
  const refused = refusedConstraint(c.contype);
  if (refused !== undefined) throw refused;
  // PostgreSQL 15's grammar takes only CHECK here (NOT NULL came in 17).
  if (c.contype === "CONSTR_NOTNULL") {
    throw new SqlError(SqlState.syntaxError, `syntax error at or near "not"`);
  }
  if (c.contype !== "CONSTR_CHECK") throw notSupported("ALTER DOMAIN … ADD other than CHECK");
  if (c.conname !== undefined && domain.constraints.some((k) => k.name === c.conname)) {
    throw new SqlError(SqlState.duplicateObject,
      `constraint "${c.conname}" for domain "${domain.name}" already exists`);
  }
  const constraint = checkConstraint(statement.catalog, domain, c, statement);
  if (constraint.validated) validateCheck(engine, statement, domain, constraint);
  domain.constraints = [...domain.constraints, constraint];
}

function dropConstraint(domain: DomainType, stmt: ast.AlterDomainStmt, notice: Notice): void {
  const name = stmt.name ?? "";
  if (domain.constraints.some((c) => c.name === name)) {
    domain.constraints = domain.constraints.filter((c) => c.name !== name);
    return;
  }
  const message = `constraint "${name}" of domain "${domain.name}" does not exist`;
  if (stmt.missing_ok !== true) throw new SqlError(SqlState.undefinedObject, message);
  notice(`${message}, skipping`);
}

function validateConstraint(engine: Engine, statement: StatementScope, domain: DomainType,
  name: string): void {
  const constraint = domain.constraints.find((c) => c.name === name);
  if (constraint === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `constraint "${name}" of domain "${domain.name}" does not exist`);
  }
  if (constraint.validated) return;
  validateCheck(engine, statement, domain, constraint);
  constraint.validated = true;
}

/** ALTER DOMAIN … RENAME TO, and RENAME CONSTRAINT … TO. */
export function renameDomainStmt(engine: Engine, stmt: ast.RenameStmt,
  statement: StatementScope): string {
  const nodes = stmt.object !== undefined && "List" in stmt.object
    ? stmt.object.List.items : undefined;
  const domain = domainNamed(statement, nodes);
  const to = stmt.newname ?? "";
  if (stmt.renameType === "OBJECT_DOMCONSTRAINT") {
    const from = stmt.subname ?? "";
    const constraint = domain.constraints.find((c) => c.name === from);
    if (constraint === undefined) {
      throw new SqlError(SqlState.undefinedObject,
        `constraint "${from}" for domain ${domain.name} does not exist`);
    }
    if (domain.constraints.some((c) => c.name === to)) {
      throw new SqlError(SqlState.duplicateObject,
        `constraint "${to}" for domain ${domain.name} already exists`);
    }
    constraint.name = to;
    domain.version++;
    recordUndo(engine, statement, () => {
      constraint.name = from;
      domain.version++;
    });
    return "ALTER DOMAIN";
  }
  if (findRowType(statement.catalog, [domain.schema], domain.schema, to) !== undefined ||
    findDomain(statement.catalog, [domain.schema], domain.schema, to) !== undefined) {
    throw new SqlError(SqlState.duplicateObject, `type "${to}" already exists`);
  }
  const old = domain.name;
  renameDomain(domain, to);
  bumpCatalogEpoch();
  recordUndo(engine, statement, () => renameDomain(domain, old));
  return "ALTER DOMAIN";
}

/** Who uses a domain, as Postgres lists them: array columns, columns, domains, functions. */
function usersOf(catalog: Catalog, domain: DomainType, dropping: ReadonlySet<DomainType>):
  string[] {
  const out: string[] = [];
  const layers: [number, string][] = [[domain.arrayOid, `${domain.name}[]`],
    [domain.oid, domain.name]];
  for (const [oid, shown] of layers) {
    for (const rel of catalog.allRelations()) {
      if (rel.virtualRows !== undefined) continue;
      for (const column of rel.columns) {
        if (column.dropped || column.type !== oid) continue;
        const kind = rel.kind === "v" ? "view" : rel.kind === "m" ? "materialized view"
          : "table";
        out.push(`column ${column.name} of ${kind} ${rel.name} depends on type ${shown}`);
      }
    }
  }
  for (const other of domainsOf(catalog).values()) {
    if (other.baseType === domain.oid && !dropping.has(other)) {
      out.push(`type ${other.name} depends on type ${domain.name}`);
    }
  }
  out.push(...nonColumnTypeUsers(catalog, [domain.oid, domain.arrayOid])
    .map((user) => `${user} depends on type ${domain.name}`));
  return out;
}

/** True when every type a DROP TYPE names that exists is a domain (and one does). */
export function dropTypeNamesDomains(stmt: ast.DropStmt, statement: StatementScope): boolean {
  let some = false;
  for (const object of stmt.objects ?? []) {
    const typeName = "TypeName" in object ? object.TypeName : undefined;
    const { schema, name } = qualifiedName(typeName?.names);
    if (findDomain(statement.catalog, statement.path, schema, name) !== undefined) some = true;
    else if (typeExists(statement, schema, name)) return false;
  }
  return some;
}

/** DROP DOMAIN [IF EXISTS] … [CASCADE | RESTRICT] (and DROP TYPE of domains). */
export function dropDomains(engine: Engine, stmt: ast.DropStmt, statement: StatementScope,
  notice: Notice): string {
  const { catalog, path } = statement;
  const targets: DomainType[] = [];
  for (const object of stmt.objects ?? []) {
    const typeName = "TypeName" in object ? object.TypeName : undefined;
    const { schema, name } = qualifiedName(typeName?.names);
    const found = findDomain(catalog, path, schema, name);
    if (found !== undefined) {
      if (!targets.includes(found)) targets.push(found);
      continue;
    }
    if (typeExists(statement, schema, name)) {
      throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a domain`);
    }
    if (stmt.missing_ok === true) {
      notice(`type "${name}" does not exist, skipping`);
      continue;
    }
    throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
  }
  const dropping = new Set(targets);
  for (const domain of targets) {
    const users = usersOf(catalog, domain, dropping);
    if (users.length === 0) continue;
    if (stmt.behavior === "DROP_CASCADE") {
      throw notSupported("DROP DOMAIN … CASCADE of a domain that columns or types use");
    }
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop type ${domain.name} because other objects depend on it`,
      { detail: users.join("\n"),
        hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  for (const domain of targets) {
    removeDomain(catalog, domain);
    recordUndo(engine, statement, () => addDomain(catalog, domain));
  }
  bumpCatalogEpoch();
  return stmt.removeType === "OBJECT_TYPE" ? "DROP TYPE" : "DROP DOMAIN";
}

/** The work of a domain statement, or undefined for other statements (`type-function-utility`). */
export function domainAction(engine: Engine, stmt: ast.Node, statement: StatementScope,
  notice: Notice): (() => string) | undefined {
  if ("CreateDomainStmt" in stmt) {
    return () => createDomain(engine, stmt.CreateDomainStmt, statement);
  }
  if ("AlterDomainStmt" in stmt) {
    return () => alterDomain(engine, stmt.AlterDomainStmt, statement, notice);
  }
  if ("RenameStmt" in stmt && (stmt.RenameStmt.renameType === "OBJECT_DOMAIN" ||
    stmt.RenameStmt.renameType === "OBJECT_DOMCONSTRAINT")) {
    return () => renameDomainStmt(engine, stmt.RenameStmt, statement);
  }
  if (!("DropStmt" in stmt)) return undefined;
  const drop = stmt.DropStmt;
  if (drop.removeType === "OBJECT_DOMAIN" ||
    (drop.removeType === "OBJECT_TYPE" && dropTypeNamesDomains(drop, statement))) {
    return () => dropDomains(engine, drop, statement, notice);
  }
  return undefined;
}
