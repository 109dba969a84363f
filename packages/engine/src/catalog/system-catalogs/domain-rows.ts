/**
 * Domains in the system catalogs (`catalog/domains.ts`): their pg_type rows (typtype 'd',
 * typbasetype, typtypmod, typnotnull, typdefault) and their array types' rows, their CHECK
 * constraints in pg_constraint (contypid set, conrelid 0), pg_get_constraintdef of those
 * (`CHECK ((VALUE > 0))`), and information_schema.domains. psql's `\dD` reads these.
 */
import { formatType, type ast, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import { analyzeDomainCheck } from "../../analyze/domain-coerce.js";
import { analyzeExpr } from "../../analyze/expr-analyze.js";
import { coerceTo } from "../../analyze/coerce.js";
import { Scope } from "../../analyze/scope.js";
import type { EvalLike } from "../../analyze/expr.js";
import type { Catalog } from "../catalog.js";
import { allDomainConstraints, domainOf, domainsOf, type DomainType } from "../domains.js";
import { firstNormalOid } from "../catalog.js";
import type { SystemRelationDef } from "../system-relations.js";
import { withAnalysisSettings } from "../type-io.js";
import { Oid, typeInfo } from "../types.js";
import {
  charMaxLength, charOctetLength, datetimePrecision, numericPrecision, numericScale,
} from "./information-schema-columns.js";
import { catalogStatement, catalogView, type CatalogView } from "./object-defs.js";
import { SysOid, namespaceOid } from "./oids.js";
import { typeDetails } from "./pg-type.js";
import { deparseStored, type RuleContext } from "./rule-deparse.js";

function ruleContext(view: CatalogView, pretty: boolean): RuleContext {
  return { pretty, fmt: view.ctx, column: () => "VALUE", relationName: (name) => name };
}

/**
 * A domain's DEFAULT as typdefault shows it ("5", "'x'::text"): implicit casts stay
 * hidden, and a length coercion prints as its argument (`'x'::character varying` for
 * varchar(5)), so the typmod is left out.
 */
function defaultText(view: CatalogView, domain: DomainType, expr: ast.Node): string {
  return withAnalysisSettings(view.ctx, () => {
    const statement = catalogStatement(view, [domain.schema, ...view.path]);
    // As pg_get_expr prints a column default: an untyped literal takes the base type.
    let analyzed = analyzeExpr(expr, new Scope(statement, undefined));
    if (analyzed.type === Oid.unknown) {
      analyzed = coerceTo(analyzed, domain.baseType, -1, "a", statement.params);
    }
    return deparseStored(analyzed, ruleContext(view, false));
  });
}

/** pg_get_constraintdef of a domain CHECK: `CHECK ((VALUE > 0))`, pretty `CHECK (VALUE > 0)`. */
function checkText(view: CatalogView, domain: DomainType, expr: ast.Node, pretty: boolean):
  string {
  return withAnalysisSettings(view.ctx, () => {
    const statement = catalogStatement(view, [domain.schema, ...view.path]);
    const analyzed = analyzeDomainCheck(expr, domain.baseType, domain.baseTypmod, statement);
    return `CHECK (${deparseStored(analyzed, ruleContext(view, pretty))})`;
  });
}

/** pg_get_constraintdef of a domain constraint, or undefined when `oid` is not one. */
export function domainConstraintDef(catalog: Catalog, oid: number, ctx: EvalLike,
  pretty: boolean): string | undefined {
  const found = allDomainConstraints(catalog).find((c) => c.constraint.oid === oid);
  if (found === undefined) return undefined;
  const text = checkText(catalogView(catalog, ctx), found.domain, found.constraint.expr, pretty);
  return found.constraint.validated ? text : `${text} NOT VALID`;
}

/** pg_get_expr of a domain's typdefaultbin (`{DOMAINDEFAULT :typid N}`), else undefined. */
export function domainDefaultExprText(catalog: Catalog, tree: string, ctx: EvalLike):
  string | undefined {
  const match = /^\{DOMAINDEFAULT :typid (\d+)\}$/.exec(tree);
  const domain = match === null ? undefined : domainsOf(catalog).get(Number(match[1]));
  if (domain?.defaultExpr == null) return undefined;
  return defaultText(catalogView(catalog, ctx), domain, domain.defaultExpr);
}

/** pg_type rows of the domains and their array types, as pg_type.ts lays rows out. */
export function domainTypeRows(catalog: Catalog, ctx: EvalLike | undefined): Row[] {
  const view = ctx === undefined ? undefined : catalogView(catalog, ctx);
  return [...domainsOf(catalog).values()].flatMap((d): Row[] => {
    const ns = namespaceOid(catalog, d.schema);
    const owner = SysOid.bootstrapSuperuser;
    const base = typeDetails(d.baseType);
    const info = typeInfo(d.baseType);
    const text = d.defaultExpr === null ? null
      : view === undefined ? "" : defaultText(view, d, d.defaultExpr);
    const dims = info.category === "A" ? 1 : 0;
    return [
      [d.oid, d.name, ns, owner, base.len, base.byVal, "d", info.category, false, true, ",",
        0, 0, 0, d.arrayOid, 0, 0, 0, 0, 0, 0, 0, base.align, base.storage, d.notNull,
        d.baseType, d.baseTypmod, dims, base.collation,
        d.defaultExpr === null ? null : `{DOMAINDEFAULT :typid ${d.oid}}`, text, null],
      [d.arrayOid, `_${d.name}`, ns, owner, -1, false, "b", "A", false, true, ",", 0, 0,
        d.oid, 0, 0, 0, 0, 0, 0, 0, 0, base.align === "d" ? "d" : "i", "x", false, 0, -1, 0,
        base.collation, null, null, null],
    ];
  });
}

/**
 * pg_depend rows of the domains: a domain on a created base type (another domain, an enum),
 * its array type on it ('i'), its constraints on it ('a'), so pg_dump creates them in order.
 */
export function domainDependRows(catalog: Catalog): Row[] {
  const pgType = 1247;
  const pgConstraint = 2606;
  return [...domainsOf(catalog).values()].flatMap((d): Row[] => [
    ...(d.baseType >= firstNormalOid ? [[pgType, d.oid, 0, pgType, d.baseType, 0, "n"]] : []),
    [pgType, d.arrayOid, 0, pgType, d.oid, 0, "i"],
    ...d.constraints.map((c): Row => [pgConstraint, c.oid, 0, pgType, d.oid, 0, "a"]),
  ]);
}

/** pg_constraint rows of the domains' CHECKs, as pg-constraint.ts lays rows out. */
export function domainConstraintRows(catalog: Catalog): Row[] {
  return allDomainConstraints(catalog).map(({ domain, constraint }): Row => [
    constraint.oid, constraint.name, namespaceOid(catalog, domain.schema), "c", false, false,
    constraint.validated, 0, domain.oid, 0, 0, 0, " ", " ", " ", true, 0, false, null, null,
    null, null, null, null, null, `{CHECK :conid ${constraint.oid}}`]);
}

const ident = Oid.name;
const chars = Oid.varchar;
const card = Oid.int4;

/** information_schema.domains: one row per domain, type facts of its base type. */
export function infoDomains(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13190, schema: "information_schema", name: "domains",
    columns: [["domain_catalog", ident], ["domain_schema", ident], ["domain_name", ident],
      ["data_type", chars], ["character_maximum_length", card],
      ["character_octet_length", card], ["character_set_catalog", ident],
      ["character_set_schema", ident], ["character_set_name", ident],
      ["collation_catalog", ident], ["collation_schema", ident], ["collation_name", ident],
      ["numeric_precision", card], ["numeric_precision_radix", card],
      ["numeric_scale", card], ["datetime_precision", card], ["interval_type", chars],
      ["interval_precision", card], ["domain_default", chars], ["udt_catalog", ident],
      ["udt_schema", ident], ["udt_name", ident], ["scope_catalog", ident],
      ["scope_schema", ident], ["scope_name", ident], ["maximum_cardinality", card],
      ["dtd_identifier", ident]],
    rows: (ctx: StatementContext) => {
      const view = catalogView(catalog, ctx);
      return [...domainsOf(catalog).values()].map((d): Row => {
        const { baseType: t, baseTypmod: m } = d;
        const info = typeInfo(t);
        const precision = numericPrecision(t, m);
        // A base type outside pg_catalog (another domain) is USER-DEFINED, named by udt_*.
        const userBase = domainOf(t);
        const dataType = info.category === "A" ? "ARRAY"
          : t >= firstNormalOid ? "USER-DEFINED" : formatType(t);
        return [ctx.database, d.schema, d.name, dataType,
          charMaxLength(t, m), charOctetLength(t, m), null, null, null, null, null, null,
          precision, precision === null ? null : t === Oid.numeric ? 10 : 2,
          numericScale(t, m), datetimePrecision(t, m), null, null,
          d.defaultExpr === null ? null : defaultText(view, d, d.defaultExpr),
          ctx.database, userBase?.schema ?? (t >= firstNormalOid ? "public" : "pg_catalog"),
          userBase?.name ?? info.name, null, null, null, null, "1"];
      });
    },
  };
}
