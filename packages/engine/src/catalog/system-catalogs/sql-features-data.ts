/**
 * The rows of information_schema.sql_features as PostgreSQL 15 ships them (its
 * src/backend/catalog/sql_features.txt, loaded by initdb): which features of SQL:2016 are
 * supported, with comments. One row a line, fields split by `|`:
 *
 *   main feature:  id|name|supported|comments               E011|Numeric data types|Y|
 *   sub-feature:   id|name|sub id|sub name|supported|comments
 *
 * A sub-feature's name is empty when it is its main feature's (all but E021's). Supported is
 * Y or N. A line ending in a backslash continues on the next (a template literal's line
 * continuation), so long comments keep to 100 columns. `sql-tables.ts` expands the rows.
 */
export const sqlFeatureLines = `\
B011|Embedded Ada|N|
B012|Embedded C|Y|
B013|Embedded COBOL|N|
B014|Embedded Fortran|N|
B015|Embedded MUMPS|N|
B016|Embedded Pascal|N|
B017|Embedded PL/I|N|
B021|Direct SQL|Y|
B031|Basic dynamic SQL|N|
B032|Extended dynamic SQL|N|
B032||01|<describe input statement>|N|
B033|Untyped SQL-invoked function arguments|N|
B034|Dynamic specification of cursor attributes|N|
B035|Non-extended descriptor names|N|
B041|Extensions to embedded SQL exception declarations|N|
B051|Enhanced execution rights|N|
B111|Module language Ada|N|
B112|Module language C|N|
B113|Module language COBOL|N|
B114|Module language Fortran|N|
B115|Module language MUMPS|N|
B116|Module language Pascal|N|
B117|Module language PL/I|N|
B121|Routine language Ada|N|
B122|Routine language C|N|
B123|Routine language COBOL|N|
B124|Routine language Fortran|N|
B125|Routine language MUMPS|N|
B126|Routine language Pascal|N|
B127|Routine language PL/I|N|
B128|Routine language SQL|Y|
B200|Polymorphic table functions|N|
B201|More than one PTF generic table parameter|N|
B202|PTF Copartitioning|N|
B203|More than one copartition specification|N|
B204|PRUNE WHEN EMPTY|N|
B205|Pass-through columns|N|
B206|PTF descriptor parameters|N|
B207|Cross products of partitionings|N|
B208|PTF component procedure interface|N|
B209|PTF extended names|N|
B211|Module language Ada: VARCHAR and NUMERIC support|N|
B221|Routine language Ada: VARCHAR and NUMERIC support|N|
E011|Numeric data types|Y|
E011||01|INTEGER and SMALLINT data types|Y|
E011||02|REAL, DOUBLE PRECISION, and FLOAT data types|Y|
E011||03|DECIMAL and NUMERIC data types|Y|
E011||04|Arithmetic operators|Y|
E011||05|Numeric comparison|Y|
E011||06|Implicit casting among the numeric data types|Y|
E021|Character data types|Y|
E021|Character string types|01|CHARACTER data type|Y|
E021|Character string types|02|CHARACTER VARYING data type|Y|
E021|Character string types|03|Character literals|Y|
E021|Character string types|04|CHARACTER_LENGTH function|Y|trims trailing spaces from CHARACTER\
 values before counting
E021|Character string types|05|OCTET_LENGTH function|Y|
E021|Character string types|06|SUBSTRING function|Y|
E021|Character string types|07|Character concatenation|Y|
E021|Character string types|08|UPPER and LOWER functions|Y|
E021|Character string types|09|TRIM function|Y|
E021|Character string types|10|Implicit casting among the character string types|Y|
E021|Character string types|11|POSITION function|Y|
E021|Character string types|12|Character comparison|Y|
E031|Identifiers|Y|
E031||01|Delimited identifiers|Y|
E031||02|Lower case identifiers|Y|
E031||03|Trailing underscore|Y|
E051|Basic query specification|Y|
E051||01|SELECT DISTINCT|Y|
E051||02|GROUP BY clause|Y|
E051||04|GROUP BY can contain columns not in <select list>|Y|
E051||05|Select list items can be renamed|Y|
E051||06|HAVING clause|Y|
E051||07|Qualified * in select list|Y|
E051||08|Correlation names in the FROM clause|Y|
E051||09|Rename columns in the FROM clause|Y|
E061|Basic predicates and search conditions|Y|
E061||01|Comparison predicate|Y|
E061||02|BETWEEN predicate|Y|
E061||03|IN predicate with list of values|Y|
E061||04|LIKE predicate|Y|
E061||05|LIKE predicate ESCAPE clause|Y|
E061||06|NULL predicate|Y|
E061||07|Quantified comparison predicate|Y|
E061||08|EXISTS predicate|Y|
E061||09|Subqueries in comparison predicate|Y|
E061||11|Subqueries in IN predicate|Y|
E061||12|Subqueries in quantified comparison predicate|Y|
E061||13|Correlated subqueries|Y|
E061||14|Search condition|Y|
E071|Basic query expressions|Y|
E071||01|UNION DISTINCT table operator|Y|
E071||02|UNION ALL table operator|Y|
E071||03|EXCEPT DISTINCT table operator|Y|
E071||05|Columns combined via table operators need not have exactly the same data type|Y|
E071||06|Table operators in subqueries|Y|
E081|Basic Privileges|Y|
E081||01|SELECT privilege|Y|
E081||02|DELETE privilege|Y|
E081||03|INSERT privilege at the table level|Y|
E081||04|UPDATE privilege at the table level|Y|
E081||05|UPDATE privilege at the column level|Y|
E081||06|REFERENCES privilege at the table level|Y|
E081||07|REFERENCES privilege at the column level|Y|
E081||08|WITH GRANT OPTION|Y|
E081||09|USAGE privilege|Y|
E081||10|EXECUTE privilege|Y|
E091|Set functions|Y|
E091||01|AVG|Y|
E091||02|COUNT|Y|
E091||03|MAX|Y|
E091||04|MIN|Y|
E091||05|SUM|Y|
E091||06|ALL quantifier|Y|
E091||07|DISTINCT quantifier|Y|
E101|Basic data manipulation|Y|
E101||01|INSERT statement|Y|
E101||03|Searched UPDATE statement|Y|
E101||04|Searched DELETE statement|Y|
E111|Single row SELECT statement|Y|
E121|Basic cursor support|Y|
E121||01|DECLARE CURSOR|Y|
E121||02|ORDER BY columns need not be in select list|Y|
E121||03|Value expressions in ORDER BY clause|Y|
E121||04|OPEN statement|Y|
E121||06|Positioned UPDATE statement|Y|
E121||07|Positioned DELETE statement|Y|
E121||08|CLOSE statement|Y|
E121||10|FETCH statement implicit NEXT|Y|
E121||17|WITH HOLD cursors|Y|
E131|Null value support (nulls in lieu of values)|Y|
E141|Basic integrity constraints|Y|
E141||01|NOT NULL constraints|Y|
E141||02|UNIQUE constraints of NOT NULL columns|Y|
E141||03|PRIMARY KEY constraints|Y|
E141||04|Basic FOREIGN KEY constraint with the NO ACTION default for both referential delete\
 action and referential update action|Y|
E141||06|CHECK constraints|Y|
E141||07|Column defaults|Y|
E141||08|NOT NULL inferred on PRIMARY KEY|Y|
E141||10|Names in a foreign key can be specified in any order|Y|
E151|Transaction support|Y|
E151||01|COMMIT statement|Y|
E151||02|ROLLBACK statement|Y|
E152|Basic SET TRANSACTION statement|Y|
E152||01|SET TRANSACTION statement: ISOLATION LEVEL SERIALIZABLE clause|Y|
E152||02|SET TRANSACTION statement: READ ONLY and READ WRITE clauses|Y|
E153|Updatable queries with subqueries|Y|
E161|SQL comments using leading double minus|Y|
E171|SQLSTATE support|Y|
E182|Host language binding|Y|
F021|Basic information schema|Y|
F021||01|COLUMNS view|Y|
F021||02|TABLES view|Y|
F021||03|VIEWS view|Y|
F021||04|TABLE_CONSTRAINTS view|Y|
F021||05|REFERENTIAL_CONSTRAINTS view|Y|
F021||06|CHECK_CONSTRAINTS view|Y|
F031|Basic schema manipulation|Y|
F031||01|CREATE TABLE statement to create persistent base tables|Y|
F031||02|CREATE VIEW statement|Y|
F031||03|GRANT statement|Y|
F031||04|ALTER TABLE statement: ADD COLUMN clause|Y|
F031||13|DROP TABLE statement: RESTRICT clause|Y|
F031||16|DROP VIEW statement: RESTRICT clause|Y|
F031||19|REVOKE statement: RESTRICT clause|Y|
F032|CASCADE drop behavior|Y|
F033|ALTER TABLE statement: DROP COLUMN clause|Y|
F034|Extended REVOKE statement|Y|
F034||01|REVOKE statement performed by other than the owner of a schema object|Y|
F034||02|REVOKE statement: GRANT OPTION FOR clause|Y|
F034||03|REVOKE statement to revoke a privilege that the grantee has WITH GRANT OPTION|Y|
F041|Basic joined table|Y|
F041||01|Inner join (but not necessarily the INNER keyword)|Y|
F041||02|INNER keyword|Y|
F041||03|LEFT OUTER JOIN|Y|
F041||04|RIGHT OUTER JOIN|Y|
F041||05|Outer joins can be nested|Y|
F041||07|The inner table in a left or right outer join can also be used in an inner join|Y|
F041||08|All comparison operators are supported (rather than just =)|Y|
F051|Basic date and time|Y|
F051||01|DATE data type (including support of DATE literal)|Y|
F051||02|TIME data type (including support of TIME literal) with fractional seconds precision of\
 at least 0|Y|
F051||03|TIMESTAMP data type (including support of TIMESTAMP literal) with fractional seconds\
 precision of at least 0 and 6|Y|
F051||04|Comparison predicate on DATE, TIME, and TIMESTAMP data types|Y|
F051||05|Explicit CAST between datetime types and character string types|Y|
F051||06|CURRENT_DATE|Y|
F051||07|LOCALTIME|Y|
F051||08|LOCALTIMESTAMP|Y|
F052|Intervals and datetime arithmetic|Y|
F053|OVERLAPS predicate|Y|
F054|TIMESTAMP in DATE type precedence list|N|
F081|UNION and EXCEPT in views|Y|
F111|Isolation levels other than SERIALIZABLE|Y|
F111||01|READ UNCOMMITTED isolation level|Y|
F111||02|READ COMMITTED isolation level|Y|
F111||03|REPEATABLE READ isolation level|Y|
F121|Basic diagnostics management|N|
F121||01|GET DIAGNOSTICS statement|N|
F121||02|SET TRANSACTION statement: DIAGNOSTICS SIZE clause|N|
F122|Enhanced diagnostics management|N|
F123|All diagnostics|N|
F131|Grouped operations|Y|
F131||01|WHERE, GROUP BY, and HAVING clauses supported in queries with grouped views|Y|
F131||02|Multiple tables supported in queries with grouped views|Y|
F131||03|Set functions supported in queries with grouped views|Y|
F131||04|Subqueries with GROUP BY and HAVING clauses and grouped views|Y|
F131||05|Single row SELECT with GROUP BY and HAVING clauses and grouped views|Y|
F171|Multiple schemas per user|Y|
F181|Multiple module support|Y|
F191|Referential delete actions|Y|
F200|TRUNCATE TABLE statement|Y|
F201|CAST function|Y|
F202|TRUNCATE TABLE: identity column restart option|Y|
F221|Explicit defaults|Y|
F222|INSERT statement: DEFAULT VALUES clause|Y|
F231|Privilege tables|Y|
F231||01|TABLE_PRIVILEGES view|Y|
F231||02|COLUMN_PRIVILEGES view|Y|
F231||03|USAGE_PRIVILEGES view|Y|
F251|Domain support|Y|
F261|CASE expression|Y|
F261||01|Simple CASE|Y|
F261||02|Searched CASE|Y|
F261||03|NULLIF|Y|
F261||04|COALESCE|Y|
F262|Extended CASE expression|Y|
F263|Comma-separated predicates in simple CASE expression|N|
F271|Compound character literals|Y|
F281|LIKE enhancements|Y|
F291|UNIQUE predicate|N|
F292|UNIQUE null treatment|Y|SQL:202x draft
F301|CORRESPONDING in query expressions|N|
F302|INTERSECT table operator|Y|
F302||01|INTERSECT DISTINCT table operator|Y|
F302||02|INTERSECT ALL table operator|Y|
F304|EXCEPT ALL table operator|Y|
F311|Schema definition statement|Y|
F311||01|CREATE SCHEMA|Y|
F311||02|CREATE TABLE for persistent base tables|Y|
F311||03|CREATE VIEW|Y|
F311||04|CREATE VIEW: WITH CHECK OPTION|Y|
F311||05|GRANT statement|Y|
F312|MERGE statement|Y|
F313|Enhanced MERGE statement|Y|
F314|MERGE statement with DELETE branch|Y|
F321|User authorization|Y|
F341|Usage tables|Y|
F361|Subprogram support|Y|
F381|Extended schema manipulation|Y|
F381||01|ALTER TABLE statement: ALTER COLUMN clause|Y|
F381||02|ALTER TABLE statement: ADD CONSTRAINT clause|Y|
F381||03|ALTER TABLE statement: DROP CONSTRAINT clause|Y|
F382|Alter column data type|Y|
F383|Set column not null clause|Y|
F384|Drop identity property clause|Y|
F385|Drop column generation expression clause|Y|
F386|Set identity column generation clause|Y|
F391|Long identifiers|Y|
F392|Unicode escapes in identifiers|Y|
F393|Unicode escapes in literals|Y|
F394|Optional normal form specification|Y|
F401|Extended joined table|Y|
F401||01|NATURAL JOIN|Y|
F401||02|FULL OUTER JOIN|Y|
F401||04|CROSS JOIN|Y|
F402|Named column joins for LOBs, arrays, and multisets|Y|
F403|Partitioned joined tables|N|
F404|Range variable for common column names|Y|
F411|Time zone specification|Y|differences regarding literal interpretation
F421|National character|Y|
F431|Read-only scrollable cursors|Y|
F431||01|FETCH with explicit NEXT|Y|
F431||02|FETCH FIRST|Y|
F431||03|FETCH LAST|Y|
F431||04|FETCH PRIOR|Y|
F431||05|FETCH ABSOLUTE|Y|
F431||06|FETCH RELATIVE|Y|
F441|Extended set function support|Y|
F442|Mixed column references in set functions|Y|
F451|Character set definition|N|
F461|Named character sets|N|
F471|Scalar subquery values|Y|
F481|Expanded NULL predicate|Y|
F491|Constraint management|Y|
F492|Optional table constraint enforcement|N|
F501|Features and conformance views|Y|
F501||01|SQL_FEATURES view|Y|
F501||02|SQL_SIZING view|Y|
F502|Enhanced documentation tables|Y|
F521|Assertions|N|
F531|Temporary tables|Y|
F555|Enhanced seconds precision|Y|
F561|Full value expressions|Y|
F571|Truth value tests|Y|
F591|Derived tables|Y|
F611|Indicator data types|Y|
F641|Row and table constructors|Y|
F651|Catalog name qualifiers|Y|
F661|Simple tables|Y|
F671|Subqueries in CHECK|N|intentionally omitted
F672|Retrospective check constraints|Y|
F673|Reads SQL-data routine invocations in CHECK constraints|N|
F690|Collation support|Y|but no character set support
F692|Extended collation support|Y|
F693|SQL-session and client module collations|N|
F695|Translation support|N|
F696|Additional translation documentation|N|
F701|Referential update actions|Y|
F711|ALTER domain|Y|
F721|Deferrable constraints|N|foreign and unique keys only
F731|INSERT column privileges|Y|
F741|Referential MATCH types|N|no partial match yet
F751|View CHECK enhancements|Y|
F761|Session management|Y|
F762|CURRENT_CATALOG|Y|
F763|CURRENT_SCHEMA|Y|
F771|Connection management|Y|
F781|Self-referencing operations|Y|
F791|Insensitive cursors|Y|
F801|Full set function|Y|
F812|Basic flagging|N|
F813|Extended flagging|N|
F821|Local table references|N|
F831|Full cursor update|N|
F831||01|Updatable scrollable cursors|N|
F831||02|Updatable ordered cursors|N|
F841|LIKE_REGEX predicate|N|consider regexp_like()
F842|OCCURRENCES_REGEX function|N|consider regexp_matches()
F843|POSITION_REGEX function|N|consider regexp_instr()
F844|SUBSTRING_REGEX function|N|consider regexp_substr()
F845|TRANSLATE_REGEX function|N|consider regexp_replace()
F846|Octet support in regular expression operators|N|
F847|Nonconstant regular expressions|N|
F850|Top-level <order by clause> in <query expression>|Y|
F851|<order by clause> in subqueries|Y|
F852|Top-level <order by clause> in views|Y|
F855|Nested <order by clause> in <query expression>|Y|
F856|Nested <fetch first clause> in <query expression>|Y|
F857|Top-level <fetch first clause> in <query expression>|Y|
F858|<fetch first clause> in subqueries|Y|
F859|Top-level <fetch first clause> in views|Y|
F860|<fetch first row count> in <fetch first clause>|Y|
F861|Top-level <result offset clause> in <query expression>|Y|
F862|<result offset clause> in subqueries|Y|
F863|Nested <result offset clause> in <query expression>|Y|
F864|Top-level <result offset clause> in views|Y|
F865|<offset row count> in <result offset clause>|Y|
F866|FETCH FIRST clause: PERCENT option|N|
F867|FETCH FIRST clause: WITH TIES option|Y|
R010|Row pattern recognition: FROM clause|N|
R020|Row pattern recognition: WINDOW clause|N|
R030|Row pattern recognition: full aggregate support|N|
S011|Distinct data types|N|
S011||01|USER_DEFINED_TYPES view|N|
S023|Basic structured types|N|
S024|Enhanced structured types|N|
S025|Final structured types|N|
S026|Self-referencing structured types|N|
S027|Create method by specific method name|N|
S028|Permutable UDT options list|N|
S041|Basic reference types|N|
S043|Enhanced reference types|N|
S051|Create table of type|N|partially supported
S071|SQL paths in function and type name resolution|Y|
S081|Subtables|N|
S091|Basic array support|N|partially supported
S091||01|Arrays of built-in data types|Y|
S091||02|Arrays of distinct types|N|
S091||03|Array expressions|Y|
S092|Arrays of user-defined types|Y|
S094|Arrays of reference types|N|
S095|Array constructors by query|Y|
S096|Optional array bounds|Y|
S097|Array element assignment|N|
S098|ARRAY_AGG|Y|
S111|ONLY in query expressions|Y|
S151|Type predicate|N|see pg_typeof()
S161|Subtype treatment|N|
S162|Subtype treatment for references|N|
S201|SQL-invoked routines on arrays|Y|
S201||01|Array parameters|Y|
S201||02|Array as result type of functions|Y|
S202|SQL-invoked routines on multisets|N|
S211|User-defined cast functions|Y|
S231|Structured type locators|N|
S232|Array locators|N|
S233|Multiset locators|N|
S241|Transform functions|N|
S242|Alter transform statement|N|
S251|User-defined orderings|N|
S261|Specific type method|N|
S271|Basic multiset support|N|
S272|Multisets of user-defined types|N|
S274|Multisets of reference types|N|
S275|Advanced multiset support|N|
S281|Nested collection types|N|
S291|Unique constraint on entire row|N|
S301|Enhanced UNNEST|Y|
S401|Distinct types based on array types|N|
S402|Distinct types based on distinct types|N|
S403|ARRAY_MAX_CARDINALITY|N|
S404|TRIM_ARRAY|Y|
T011|Timestamp in Information Schema|N|
T021|BINARY and VARBINARY data types|N|
T022|Advanced support for BINARY and VARBINARY data types|N|
T023|Compound binary literal|N|
T024|Spaces in binary literals|N|
T031|BOOLEAN data type|Y|
T041|Basic LOB data type support|N|
T041||01|BLOB data type|N|
T041||02|CLOB data type|N|
T041||03|POSITION, LENGTH, LOWER, TRIM, UPPER, and SUBSTRING functions for LOB data types|N|
T041||04|Concatenation of LOB data types|N|
T041||05|LOB locator: non-holdable|N|
T042|Extended LOB data type support|N|
T043|Multiplier T|N|
T044|Multiplier P|N|
T051|Row types|N|
T053|Explicit aliases for all-fields reference|N|
T061|UCS support|N|
T071|BIGINT data type|Y|
T076|DECFLOAT data type|N|
T101|Enhanced nullability determination|N|
T111|Updatable joins, unions, and columns|N|
T121|WITH (excluding RECURSIVE) in query expression|Y|
T122|WITH (excluding RECURSIVE) in subquery|Y|
T131|Recursive query|Y|
T132|Recursive query in subquery|Y|
T133|Enhanced cycle mark values|Y|SQL:202x draft
T141|SIMILAR predicate|Y|
T151|DISTINCT predicate|Y|
T152|DISTINCT predicate with negation|Y|
T171|LIKE clause in table definition|Y|
T172|AS subquery clause in table definition|Y|
T173|Extended LIKE clause in table definition|Y|
T174|Identity columns|Y|
T175|Generated columns|N|mostly supported
T176|Sequence generator support|N|supported except for NEXT VALUE FOR
T177|Sequence generator support: simple restart option|Y|
T178|Identity columns:  simple restart option|Y|
T180|System-versioned tables|N|
T181|Application-time period tables|N|
T191|Referential action RESTRICT|Y|
T201|Comparable data types for referential constraints|Y|
T211|Basic trigger capability|N|
T211||01|Triggers activated on UPDATE, INSERT, or DELETE of one base table|Y|
T211||02|BEFORE triggers|Y|
T211||03|AFTER triggers|Y|
T211||04|FOR EACH ROW triggers|Y|
T211||05|Ability to specify a search condition that must be true before the trigger is invoked|Y|
T211||06|Support for run-time rules for the interaction of triggers and constraints|N|
T211||07|TRIGGER privilege|Y|
T211||08|Multiple triggers for the same event are executed in the order in which they were\
 created in the catalog|N|intentionally omitted
T212|Enhanced trigger capability|Y|
T213|INSTEAD OF triggers|Y|
T231|Sensitive cursors|N|
T241|START TRANSACTION statement|Y|
T251|SET TRANSACTION statement: LOCAL option|N|
T261|Chained transactions|Y|
T271|Savepoints|Y|
T272|Enhanced savepoint management|N|
T281|SELECT privilege with column granularity|Y|
T285|Enhanced derived column names|Y|
T301|Functional dependencies|N|partially supported
T312|OVERLAY function|Y|
T321|Basic SQL-invoked routines|N|partially supported
T321||01|User-defined functions with no overloading|Y|
T321||02|User-defined stored procedures with no overloading|Y|
T321||03|Function invocation|Y|
T321||04|CALL statement|Y|
T321||05|RETURN statement|Y|
T321||06|ROUTINES view|Y|
T321||07|PARAMETERS view|Y|
T322|Declared data type attributes|N|
T323|Explicit security for external routines|Y|
T324|Explicit security for SQL routines|N|
T325|Qualified SQL parameter references|Y|
T326|Table functions|N|
T331|Basic roles|Y|
T332|Extended roles|Y|
T341|Overloading of SQL-invoked functions and procedures|Y|
T351|Bracketed SQL comments (/*...*/ comments)|Y|
T431|Extended grouping capabilities|Y|
T432|Nested and concatenated GROUPING SETS|Y|
T433|Multiargument GROUPING function|Y|
T434|GROUP BY DISTINCT|Y|
T441|ABS and MOD functions|Y|
T461|Symmetric BETWEEN predicate|Y|
T471|Result sets return value|N|
T472|DESCRIBE CURSOR|N|
T491|LATERAL derived table|Y|
T495|Combined data change and retrieval|N|different syntax
T501|Enhanced EXISTS predicate|Y|
T502|Period predicates|N|
T511|Transaction counts|N|
T521|Named arguments in CALL statement|Y|
T522|Default values for IN parameters of SQL-invoked procedures|N|supported except DEFAULT key\
 word in invocation
T523|Default values for INOUT parameters of SQL-invoked procedures|Y|
T524|Named arguments in routine invocations other than a CALL statement|Y|
T525|Default values for parameters of SQL-invoked functions|Y|
T551|Optional key words for default syntax|Y|
T561|Holdable locators|N|
T571|Array-returning external SQL-invoked functions|N|
T572|Multiset-returning external SQL-invoked functions|N|
T581|Regular expression substring function|Y|
T591|UNIQUE constraints of possibly null columns|Y|
T601|Local cursor references|N|
T611|Elementary OLAP operations|Y|
T612|Advanced OLAP operations|Y|
T613|Sampling|Y|
T614|NTILE function|Y|
T615|LEAD and LAG functions|Y|
T616|Null treatment option for LEAD and LAG functions|N|
T617|FIRST_VALUE and LAST_VALUE function|Y|
T618|NTH_VALUE function|N|function exists, but some options missing
T619|Nested window functions|N|
T620|WINDOW clause: GROUPS option|Y|
T621|Enhanced numeric functions|Y|
T622|Trigonometric functions|Y|
T623|General logarithm functions|Y|
T624|Common logarithm functions|Y|
T625|LISTAGG|N|
T631|IN predicate with one list element|Y|
T641|Multiple column assignment|N|only some syntax variants supported
T651|SQL-schema statements in SQL routines|Y|
T652|SQL-dynamic statements in SQL routines|N|
T653|SQL-schema statements in external routines|Y|
T654|SQL-dynamic statements in external routines|N|
T655|Cyclically dependent routines|Y|
T811|Basic SQL/JSON constructor functions|N|
T812|SQL/JSON: JSON_OBJECTAGG|N|
T813|SQL/JSON: JSON_ARRAYAGG with ORDER BY|N|
T814|Colon in JSON_OBJECT or JSON_OBJECTAGG|N|
T821|Basic SQL/JSON query operators|N|
T822|SQL/JSON: IS JSON WITH UNIQUE KEYS predicate|N|
T823|SQL/JSON: PASSING clause|N|
T824|JSON_TABLE: specific PLAN clause|N|
T825|SQL/JSON: ON EMPTY and ON ERROR clauses|N|
T826|General value expression in ON ERROR or ON EMPTY clauses|N|
T827|JSON_TABLE: sibling NESTED COLUMNS clauses|N|
T828|JSON_QUERY|N|
T829|JSON_QUERY: array wrapper options|N|
T830|Enforcing unique keys in SQL/JSON constructor functions|N|
T831|SQL/JSON path language: strict mode|Y|
T832|SQL/JSON path language: item method|Y|
T833|SQL/JSON path language: multiple subscripts|Y|
T834|SQL/JSON path language: wildcard member accessor|Y|
T835|SQL/JSON path language: filter expressions|Y|
T836|SQL/JSON path language: starts with predicate|Y|
T837|SQL/JSON path language: regex_like predicate|Y|
T838|JSON_TABLE: PLAN DEFAULT clause|N|
T839|Formatted cast of datetimes to/from character strings|N|
M001|Datalinks|N|
M002|Datalinks via SQL/CLI|N|
M003|Datalinks via Embedded SQL|N|
M004|Foreign data support|N|partially supported
M005|Foreign schema support|N|
M006|GetSQLString routine|N|
M007|TransmitRequest|N|
M009|GetOpts and GetStatistics routines|N|
M010|Foreign data wrapper support|N|different API
M011|Datalinks via Ada|N|
M012|Datalinks via C|N|
M013|Datalinks via COBOL|N|
M014|Datalinks via Fortran|N|
M015|Datalinks via M|N|
M016|Datalinks via Pascal|N|
M017|Datalinks via PL/I|N|
M018|Foreign data wrapper interface routines in Ada|N|
M019|Foreign data wrapper interface routines in C|N|different API
M020|Foreign data wrapper interface routines in COBOL|N|
M021|Foreign data wrapper interface routines in Fortran|N|
M022|Foreign data wrapper interface routines in MUMPS|N|
M023|Foreign data wrapper interface routines in Pascal|N|
M024|Foreign data wrapper interface routines in PL/I|N|
M030|SQL-server foreign data support|N|
M031|Foreign data wrapper general routines|N|
X010|XML type|Y|
X011|Arrays of XML type|Y|
X012|Multisets of XML type|N|
X013|Distinct types of XML type|N|
X014|Attributes of XML type|Y|
X015|Fields of XML type|N|
X016|Persistent XML values|Y|
X020|XMLConcat|Y|
X025|XMLCast|N|
X030|XMLDocument|N|
X031|XMLElement|Y|
X032|XMLForest|Y|
X034|XMLAgg|Y|
X035|XMLAgg: ORDER BY option|Y|
X036|XMLComment|Y|
X037|XMLPI|Y|
X038|XMLText|N|
X040|Basic table mapping|Y|
X041|Basic table mapping: nulls absent|Y|
X042|Basic table mapping: null as nil|Y|
X043|Basic table mapping: table as forest|Y|
X044|Basic table mapping: table as element|Y|
X045|Basic table mapping: with target namespace|Y|
X046|Basic table mapping: data mapping|Y|
X047|Basic table mapping: metadata mapping|Y|
X048|Basic table mapping: base64 encoding of binary strings|Y|
X049|Basic table mapping: hex encoding of binary strings|Y|
X050|Advanced table mapping|Y|
X051|Advanced table mapping: nulls absent|Y|
X052|Advanced table mapping: null as nil|Y|
X053|Advanced table mapping: table as forest|Y|
X054|Advanced table mapping: table as element|Y|
X055|Advanced table mapping: with target namespace|Y|
X056|Advanced table mapping: data mapping|Y|
X057|Advanced table mapping: metadata mapping|Y|
X058|Advanced table mapping: base64 encoding of binary strings|Y|
X059|Advanced table mapping: hex encoding of binary strings|Y|
X060|XMLParse: character string input and CONTENT option|Y|
X061|XMLParse: character string input and DOCUMENT option|Y|
X065|XMLParse: BLOB input and CONTENT option|N|
X066|XMLParse: BLOB input and DOCUMENT option|N|
X068|XMLSerialize: BOM|N|
X069|XMLSerialize: INDENT|N|
X070|XMLSerialize: character string serialization and CONTENT option|Y|
X071|XMLSerialize: character string serialization and DOCUMENT option|Y|
X072|XMLSerialize: character string serialization|Y|
X073|XMLSerialize: BLOB serialization and CONTENT option|N|
X074|XMLSerialize: BLOB serialization and DOCUMENT option|N|
X075|XMLSerialize: BLOB serialization|N|
X076|XMLSerialize: VERSION|N|
X077|XMLSerialize: explicit ENCODING option|N|
X078|XMLSerialize: explicit XML declaration|N|
X080|Namespaces in XML publishing|N|
X081|Query-level XML namespace declarations|N|
X082|XML namespace declarations in DML|N|
X083|XML namespace declarations in DDL|N|
X084|XML namespace declarations in compound statements|N|
X085|Predefined namespace prefixes|N|
X086|XML namespace declarations in XMLTable|N|
X090|XML document predicate|Y|
X091|XML content predicate|N|
X096|XMLExists|N|XPath 1.0 only
X100|Host language support for XML: CONTENT option|N|
X101|Host language support for XML: DOCUMENT option|N|
X110|Host language support for XML: VARCHAR mapping|N|
X111|Host language support for XML: CLOB mapping|N|
X112|Host language support for XML: BLOB mapping|N|
X113|Host language support for XML: STRIP WHITESPACE option|N|
X114|Host language support for XML: PRESERVE WHITESPACE option|N|
X120|XML parameters in SQL routines|Y|
X121|XML parameters in external routines|Y|
X131|Query-level XMLBINARY clause|N|
X132|XMLBINARY clause in DML|N|
X133|XMLBINARY clause in DDL|N|
X134|XMLBINARY clause in compound statements|N|
X135|XMLBINARY clause in subqueries|N|
X141|IS VALID predicate: data-driven case|N|
X142|IS VALID predicate: ACCORDING TO clause|N|
X143|IS VALID predicate: ELEMENT clause|N|
X144|IS VALID predicate: schema location|N|
X145|IS VALID predicate outside check constraints|N|
X151|IS VALID predicate with DOCUMENT option|N|
X152|IS VALID predicate with CONTENT option|N|
X153|IS VALID predicate with SEQUENCE option|N|
X155|IS VALID predicate: NAMESPACE without ELEMENT clause|N|
X157|IS VALID predicate: NO NAMESPACE with ELEMENT clause|N|
X160|Basic Information Schema for registered XML Schemas|N|
X161|Advanced Information Schema for registered XML Schemas|N|
X170|XML null handling options|N|
X171|NIL ON NO CONTENT option|N|
X181|XML(DOCUMENT(UNTYPED)) type|N|
X182|XML(DOCUMENT(ANY)) type|N|
X190|XML(SEQUENCE) type|N|
X191|XML(DOCUMENT(XMLSCHEMA)) type|N|
X192|XML(CONTENT(XMLSCHEMA)) type|N|
X200|XMLQuery|N|
X201|XMLQuery: RETURNING CONTENT|N|
X202|XMLQuery: RETURNING SEQUENCE|N|
X203|XMLQuery: passing a context item|N|
X204|XMLQuery: initializing an XQuery variable|N|
X205|XMLQuery: EMPTY ON EMPTY option|N|
X206|XMLQuery: NULL ON EMPTY option|N|
X211|XML 1.1 support|N|
X221|XML passing mechanism BY VALUE|Y|
X222|XML passing mechanism BY REF|N|parser accepts BY REF but ignores it; passing is always BY\
 VALUE
X231|XML(CONTENT(UNTYPED)) type|N|
X232|XML(CONTENT(ANY)) type|N|
X241|RETURNING CONTENT in XML publishing|N|
X242|RETURNING SEQUENCE in XML publishing|N|
X251|Persistent XML values of XML(DOCUMENT(UNTYPED)) type|N|
X252|Persistent XML values of XML(DOCUMENT(ANY)) type|N|
X253|Persistent XML values of XML(CONTENT(UNTYPED)) type|N|
X254|Persistent XML values of XML(CONTENT(ANY)) type|N|
X255|Persistent XML values of XML(SEQUENCE) type|N|
X256|Persistent XML values of XML(DOCUMENT(XMLSCHEMA)) type|N|
X257|Persistent XML values of XML(CONTENT(XMLSCHEMA)) type|N|
X260|XML type: ELEMENT clause|N|
X261|XML type: NAMESPACE without ELEMENT clause|N|
X263|XML type: NO NAMESPACE with ELEMENT clause|N|
X264|XML type: schema location|N|
X271|XMLValidate: data-driven case|N|
X272|XMLValidate: ACCORDING TO clause|N|
X273|XMLValidate: ELEMENT clause|N|
X274|XMLValidate: schema location|N|
X281|XMLValidate with DOCUMENT option|N|
X282|XMLValidate with CONTENT option|N|
X283|XMLValidate with SEQUENCE option|N|
X284|XMLValidate: NAMESPACE without ELEMENT clause|N|
X286|XMLValidate: NO NAMESPACE with ELEMENT clause|N|
X300|XMLTable|N|XPath 1.0 only
X301|XMLTable: derived column list option|Y|
X302|XMLTable: ordinality column option|Y|
X303|XMLTable: column default option|Y|
X304|XMLTable: passing a context item|Y|must be XML DOCUMENT
X305|XMLTable: initializing an XQuery variable|N|
X400|Name and identifier mapping|Y|
X410|Alter column data type: XML type|Y|`;
