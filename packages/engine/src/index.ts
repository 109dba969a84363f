export * from "./api.js";
export * from "./session/index.js";
export { Engine, type EngineOptions } from "./engine.js";
export { explainLines, type ExplainOptions, type Instruments, type NodeInstrument }
  from "./plan/explain-text.js";
export {
  docArray, docBool, docNumber, docObject, docText, readJsonDoc, writeDoc,
  type DocField, type DocValue, type StructuredFormat,
} from "./plan/explain-doc.js";
export { addSystemRelation, type SystemRelationDef } from "./catalog/system-relations.js";
export { setActivitySource, type ActivitySource }
  from "./catalog/system-catalogs/pg-stat-activity.js";
export { setTransportSource, setWalSource, type SessionTransport }
  from "./catalog/system-catalogs/stat-views.js";
export { startCopyIn, CopyLoader, type CopyRecordSink } from "./copy/copy-in.js";
export { copyOptions, type CopyOptions } from "./copy/options.js";
export { startCopyOutOfCursor } from "./copy/copy-out.js";
export * as wal from "./wal/index.js";
export { setMemoryLimit, memoryLimit, checkMemory } from "./execute/memory-limit.js";
export { transactionIsReadOnly } from "./execute/read-only-transaction.js";
export { checkCopyFromWritable, checkUtilityWritable } from "./execute/read-only-commands.js";
export { parseCheckpointTimeout, parseMaxWalSize, setCheckpointSettings }
  from "./storage/checkpoint-settings.js";
export { enumTypesOf, enumTypeOf, type EnumType } from "./catalog/enum-types.js";
export { rangeTypesOf, rangeTypeOwning, type RangeType } from "./catalog/range-types.js";
export {
  compositeTypesOf, findCompositeType, type CompositeType,
} from "./catalog/composite-types.js";
export {
  baseTypeOf, domainDefault, domainOf, domainOfArray, domainsOf, findDomain, type DomainType,
} from "./catalog/domains.js";
export { allSqlFunctions, type SqlFunction } from "./catalog/sql-functions.js";
export { plpgsqlCreateSql } from "./plpgsql/source-text.js";
export { triggersOf } from "./plpgsql/triggers.js";
export { triggerDefinition } from "./plpgsql/trigger-admin.js";
export {
  isWaitingFunctionRefusal, setPlpgsqlStatementCheck, type StatementCheck,
} from "./plpgsql/engine-host.js";
export {
  callHosted, callProcedureHosted, proceduresNamed, runDoHosted, writtenBody,
  type HostedStatements, type WrittenBody,
} from "./plpgsql/hosted-run.js";
export { sqlFunctionsNamed } from "./catalog/sql-functions.js";
export { withAnalysisSettings } from "./catalog/type-io.js";
export {
  combinable, liveUserAggregatesNamed, userAggregateOf, type AggSupportFunction,
  type UserAggregate,
} from "./catalog/user-aggregates.js";
export type { PlHost, QueryRequest, QueryResult, ResolvedType } from "./plpgsql/host.js";
export { rewriteViewWrite, type ViewCheck, type ViewWrite } from "./analyze/view-write.js";
export { viewCheckViolation } from "./analyze/view-write-plan.js";
export { viewOptionOn } from "./ddl/view-options.js";
export { indexDefinition } from "./catalog/system-catalogs/object-defs.js";
export { defaultExclusionName, exclusionConstraintDef } from "./catalog/exclusion.js";
export { extensionsOf } from "./ddl/extensions.js";
export { innerQuery as matviewQuery } from "./ddl/materialized-views.js";
export { boundText, partitionKeyText } from "./partition/bound-text.js";
export { partitionsNow, type PartitionBound } from "./partition/model.js";
export { descendantsOf, inheritorsOf } from "./catalog/inheritance.js";
export { loginRoleOf, sessionUserOf, type LoginRole } from "./catalog/roles.js";
export { mayConnect } from "./catalog/database-privileges.js";
export { ownerNameOf } from "./catalog/privileges.js";
export { allUserTypes, type UserType } from "./catalog/type-owners.js";
export { checkStatementPrivileges } from "./catalog/permission-checks.js";
export { allMemberships, allRoles, type Membership, type Role } from "./catalog/roles.js";
export { statementOf as statementContextOf } from "./catalog/system-catalogs/admin-functions.js";
