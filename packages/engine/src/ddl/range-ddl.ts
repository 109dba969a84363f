/**
 * CREATE TYPE … AS RANGE (SUBTYPE = t [, SUBTYPE_OPCLASS = …] [, COLLATION = …]
 * [, CANONICAL = f] [, SUBTYPE_DIFF = f] [, MULTIRANGE_TYPE_NAME = m]) and DROP TYPE of one,
 * with PostgreSQL's errors. The multirange type is named as PostgreSQL derives it
 * (floatrange -> floatmultirange, period -> period_multirange) unless MULTIRANGE_TYPE_NAME
 * names it. The types live in `catalog/range-types.ts`; each change records its undo.
 *
 * CANONICAL raises PostgreSQL's error for a function given without a shell type (Tessera has
 * no shell types). Refused with 0A000: SUBTYPE_OPCLASS other than the subtype's default btree
 * class, COLLATION, and a SUBTYPE_DIFF other than float8mi over float8 (SUBTYPE_DIFF only
 * helps GiST, which has no range support here; float8mi is the one PostgreSQL's documentation
 * uses). DROP TYPE … CASCADE of a type in use is refused as for enums.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { typeByOid, type ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { resolveTypeName } from "../analyze/type-name.js";
import { resolveOpclass } from "../catalog/access-methods.js";
import type { Catalog } from "../catalog/catalog.js";
import {
  addRangeType, findRangeTypeOid, rangeTypeOwning, removeRangeType, type RangeType,
} from "../catalog/range-types.js";
import { findRowType } from "../catalog/row-types.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { newTypeSchema, qualifiedName, recordUndo, refuseDroppingUsedType }
  from "./enum-ddl.js";

/** The longest type name PostgreSQL keeps (NAMEDATALEN - 1 bytes). */
const nameBytesMax = 63;

/** makeMultirangeTypeName: "range" in the name becomes "multirange", else "_multirange". */
export function multirangeNameOf(rangeName: string): string {
  const at = rangeName.indexOf("range");
  const name = at >= 0 ? `${rangeName.slice(0, at)}multirange${rangeName.slice(at + 5)}`
    : `${rangeName}_multirange`;
  let out = name;
  while (Buffer.byteLength(out) > nameBytesMax) out = out.slice(0, -1);
  return out;
}

function argNames(arg: ast.Node | undefined): string[] {
  if (arg === undefined) return [];
  if ("TypeName" in arg) {
    return (arg.TypeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  }
  if ("String" in arg) return [arg.String.sval ?? ""];
  if ("List" in arg) {
    return (arg.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  }
  return [];
}

interface RangeOptions {
  subtype?: ast.TypeName;
  opclass?: string[];
  collation?: boolean;
  multirange?: string[];
  subtypeDiff?: string[];
}

function readOptions(params: readonly ast.Node[]): RangeOptions {
  const options: RangeOptions = {};
  const seen = new Set<string>();
  for (const param of params) {
    if (!("DefElem" in param)) continue;
    const { defname = "", arg } = param.DefElem;
    const key = defname.toLowerCase();
    if (seen.has(key)) {
      throw new SqlError(SqlState.syntaxError, "conflicting or redundant options");
    }
    seen.add(key);
    if (key === "subtype") {
      if (arg === undefined || !("TypeName" in arg)) {
        throw new SqlError(SqlState.syntaxError, `${defname} requires a parameter`);
      }
      options.subtype = arg.TypeName;
    } else if (key === "multirange_type_name") {
      options.multirange = argNames(arg);
    } else if (key === "subtype_diff") {
      options.subtypeDiff = argNames(arg);
    } else if (key === "canonical") {
      // A canonical function takes the range type, so it needs a shell type first, which
      // Tessera does not have (CREATE TYPE name;): PostgreSQL's error for that case.
      throw new SqlError(SqlState.invalidObjectDefinition,
        "cannot specify a canonical function without a pre-created shell type", { hint:
          "Create the type as a shell type, then create its canonicalization function, then " +
          "do a full CREATE TYPE." });
    } else if (key === "subtype_opclass") {
      options.opclass = argNames(arg);
    } else if (key === "collation") {
      options.collation = true;
    } else {
      throw new SqlError(SqlState.syntaxError, `type attribute "${defname}" not recognized`);
    }
  }
  return options;
}

/** The one SUBTYPE_DIFF Tessera accepts: float8mi (PostgreSQL's OID 219) over float8. */
function checkSubtypeDiff(names: string[] | undefined, subtype: number):
  RangeType["subtypeDiff"] {
  if (names === undefined) return undefined;
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : "pg_catalog";
  if (name === "float8mi" && schema === "pg_catalog" && subtype === Oid.float8) {
    return { name, oid: 219 };
  }
  throw notSupported(`SUBTYPE_DIFF ${names.join(".")}: only float8mi over double precision`);
}

export function createRange(engine: Engine, stmt: ast.CreateRangeStmt,
  statement: StatementScope): string {
  const { catalog, path } = statement;
  const { schema: given, name } = qualifiedName(stmt.typeName);
  const schema = newTypeSchema(catalog, path, given, name);
  const options = readOptions(stmt.params ?? []);
  if (options.subtype === undefined) {
    throw new SqlError(SqlState.syntaxError, "type attribute \"subtype\" is required");
  }
  const subtype = resolveTypeName(options.subtype,
    (s, n) => findRowType(catalog, path, s, n)).type;
  const subtypeInfo = typeByOid(subtype);
  if (subtypeInfo === undefined || subtypeInfo.category === "P") {
    throw new SqlError(SqlState.datatypeMismatch,
      `range subtype cannot be ${formatTypeName(subtype, -1)}`);
  }
  if (!subtypeInfo.sortable) {
    const typeText = formatTypeName(subtype, -1);
    throw new SqlError(SqlState.undefinedObject, `data type ${typeText} has no ` +
      "default operator class for access method \"btree\"", { hint: "You must specify an " +
      "operator class for the range type or define a default operator class for the subtype." });
  }
  if (options.collation === true) {
    if (subtypeInfo.category !== "S") {
      throw new SqlError(SqlState.wrongObjectType,
        "range collation specified but subtype does not support collation");
    }
    throw notSupported("CREATE TYPE … AS RANGE with COLLATION");
  }
  const opclass = resolveOpclass("btree", subtype, options.opclass);
  if (!opclass.isDefault) {
    throw notSupported(`SUBTYPE_OPCLASS ${opclass.name}: only the subtype's default btree class`);
  }
  const subtypeDiff = checkSubtypeDiff(options.subtypeDiff, subtype);
  const multi = options.multirange ?? [multirangeNameOf(name)];
  const multiName = multi[multi.length - 1] ?? "";
  const multiSchema = multi.length > 1 ? multi[multi.length - 2]! : schema;
  if (multiSchema !== schema) {
    throw notSupported("a multirange type in another schema than its range type");
  }
  if (findRowType(catalog, [schema], schema, multiName) !== undefined || multiName === name) {
    throw new SqlError(SqlState.duplicateObject, `type "${multiName}" already exists`,
      options.multirange !== undefined ? {} : {
        detail: `Failed while creating a multirange type for type "${name}".`,
        hint: "You can manually specify a multirange type name using the " +
          "\"multirange_type_name\" attribute." });
  }
  // PostgreSQL's DefineRange assigns the array, multirange and multirange array OIDs first.
  const arrayOid = catalog.allocateOid();
  const multirangeOid = catalog.allocateOid();
  const multirangeArrayOid = catalog.allocateOid();
  const oid = catalog.allocateOid();
  const type: RangeType = { oid, arrayOid, multirangeOid, multirangeArrayOid, schema, name,
    multirangeName: multiName, subtype, subtypeDiff };
  addRangeType(catalog, type);
  recordUndo(engine, statement, () => removeRangeType(catalog, type));
  return "CREATE TYPE";
}

/**
 * DROP TYPE of range types: undefined when the statement names none (enums and composites
 * are dropped elsewhere). Naming the multirange type is refused as PostgreSQL refuses it.
 */
export function dropRangeTypes(engine: Engine, stmt: ast.DropStmt, statement: StatementScope,
  notice: (message: string) => void): string | undefined {
  const { catalog, path } = statement;
  const named = (stmt.objects ?? []).map((object) => {
    const typeName = "TypeName" in object ? object.TypeName : undefined;
    const { schema, name } = qualifiedName(typeName?.names);
    const oid = findRangeTypeOid(catalog, path, schema, name);
    return { name, oid, type: oid === undefined ? undefined : rangeTypeOwning(catalog, oid) };
  });
  if (!named.some((n) => n.type !== undefined)) return undefined;
  const targets: RangeType[] = [];
  for (const { name, oid, type } of named) {
    if (type === undefined) {
      if (findRowType(catalog, path, undefined, name) !== undefined) {
        throw notSupported("DROP TYPE of a range type together with other kinds of type");
      }
      if (stmt.missing_ok === true) {
        notice(`type "${name}" does not exist, skipping`);
        continue;
      }
      throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
    }
    if (oid === type.multirangeOid) {
      // Dropped with its range type when that is named too.
      if (named.some((n) => n.oid === type.oid)) continue;
      throw new SqlError(SqlState.dependentObjectsStillExist,
        `cannot drop type ${type.multirangeName} because type ${type.name} requires it`,
        { hint: `You can drop type ${type.name} instead.` });
    }
    if (!targets.includes(type)) targets.push(type);
  }
  for (const type of targets) {
    refuseDroppingUsedType(catalog, type.name,
      [type.oid, type.arrayOid, type.multirangeOid, type.multirangeArrayOid], stmt.behavior);
  }
  for (const type of targets) {
    removeRangeType(catalog, type);
    recordUndo(engine, statement, () => addRangeType(catalog, type));
  }
  return "DROP TYPE";
}
