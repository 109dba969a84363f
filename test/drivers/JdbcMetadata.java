import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.postgresql.util.PGobject;

/**
 * The JDBC metadata dump of the driver matrix's metadata test: DatabaseMetaData,
 * ResultSetMetaData, ParameterMetaData, setObject round trips, generated keys, rewritten
 * batches and binary transfer, printed as "== SECTION" followed by the section's lines, so
 * that the same run against PostgreSQL 15 and Tessera can be compared section by section.
 * Usage: java -Duser.timezone=UTC -cp postgresql.jar:DIR JdbcMetadata JDBC_URL
 * Expects the schema `meta` of drivers-metadata.test.ts. A failing section prints
 * "ERROR SQLSTATE message" as its content. (pgjdbc 42.5 implements neither getSuperTables nor
 * getPseudoColumns, so they are left out.)
 */
public final class JdbcMetadata {
  interface Section {
    void run(Connection c) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      DatabaseMetaData md = c.getMetaData();
      section(c, "getTables", x -> dump(md.getTables(null, "meta", "%", null)));
      section(c, "getTables_types", x -> dump(md.getTables(null, "meta", "%",
          new String[] {"TABLE", "SEQUENCE", "INDEX", "TYPE"})));
      section(c, "getColumns", x -> dump(md.getColumns(null, "meta", "%", "%")));
      section(c, "getPrimaryKeys", x -> dump(md.getPrimaryKeys(null, "meta", "children")));
      section(c, "getImportedKeys", x -> dump(md.getImportedKeys(null, "meta", "children")));
      section(c, "getExportedKeys", x -> dump(md.getExportedKeys(null, "meta", "parents")));
      section(c, "getCrossReference", x -> dump(md.getCrossReference(null, "meta", "parents",
          null, "meta", "children")));
      section(c, "getIndexInfo", x -> dump(md.getIndexInfo(null, "meta", "parents", false,
          false)));
      section(c, "getIndexInfo_unique", x -> dump(md.getIndexInfo(null, "meta", "children",
          true, false)));
      section(c, "getIndexInfo_partitioned", x -> dump(md.getIndexInfo(null, "meta", "logs",
          false, false)));
      section(c, "getSchemas", x -> dump(md.getSchemas(null, "meta%")));
      section(c, "getCatalogs", x -> dump(md.getCatalogs()));
      section(c, "getTableTypes", x -> dump(md.getTableTypes()));
      section(c, "getTypeInfo", x -> dumpTypeInfo(md.getTypeInfo()));
      section(c, "getProcedures", x -> dump(md.getProcedures(null, "meta", "%")));
      section(c, "getProcedureColumns", x -> dump(md.getProcedureColumns(null, "meta", "%",
          "%")));
      section(c, "getFunctions", x -> dump(md.getFunctions(null, "meta", "%")));
      section(c, "getFunctionColumns", x -> dump(md.getFunctionColumns(null, "meta", "%",
          "%")));
      section(c, "getUDTs", x -> dump(md.getUDTs(null, "meta", "%", null)));
      section(c, "getColumnPrivileges", x -> dump(md.getColumnPrivileges(null, "meta",
          "parents", "%")));
      section(c, "getTablePrivileges", x -> dump(md.getTablePrivileges(null, "meta", "%")));
      section(c, "getBestRowIdentifier", x -> dump(md.getBestRowIdentifier(null, "meta",
          "children", DatabaseMetaData.bestRowSession, true)));
      section(c, "getVersionColumns", x -> dump(md.getVersionColumns(null, "meta",
          "parents")));
      section(c, "getClientInfoProperties", x -> dump(md.getClientInfoProperties()));
      section(c, "sequences", x -> dump(x.createStatement().executeQuery(
          "SELECT sequence_schema, sequence_name, data_type, numeric_precision, start_value,"
          + " minimum_value, maximum_value, increment, cycle_option"
          + " FROM information_schema.sequences WHERE sequence_schema = 'meta'"
          + " ORDER BY sequence_name")));
      section(c, "metadata_flags", JdbcMetadata::metadataFlags);
      section(c, "result_set_metadata", JdbcMetadata::resultSetMetadata);
      section(c, "parameter_metadata", JdbcMetadata::parameterMetadata);
      section(c, "set_object", JdbcMetadata::setObject);
      section(c, "generated_keys", JdbcMetadata::generatedKeys);
    }
    try (Connection c = DriverManager.getConnection(url + "?reWriteBatchedInserts=true",
        "postgres", "")) {
      section(c, "rewrite_batched_inserts", JdbcMetadata::rewrittenBatch);
    }
    try (Connection c = DriverManager.getConnection(url + "?prepareThreshold=1",
        "postgres", "")) {
      section(c, "binary_transfer", JdbcMetadata::binaryTransfer);
      section(c, "enum_money_partitioned", JdbcMetadata::enumMoneyPartitioned);
    }
  }

  private static void section(Connection c, String name, Section body) {
    System.out.println("== " + name);
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      body.run(c);
    } catch (SQLException e) {
      System.out.println("ERROR " + e.getSQLState() + " " + firstLine(e.getMessage()));
    } catch (Exception e) {
      System.out.println("ERROR " + e);
    }
    System.out.flush();
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  private static void dump(ResultSet rs) throws SQLException {
    ResultSetMetaData m = rs.getMetaData();
    StringBuilder head = new StringBuilder();
    for (int i = 1; i <= m.getColumnCount(); i++) {
      head.append(i > 1 ? "|" : "").append(m.getColumnLabel(i));
    }
    System.out.println(head);
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= m.getColumnCount(); i++) {
        row.append(i > 1 ? "|" : "").append(rs.getString(i));
      }
      System.out.println(row);
    }
    rs.close();
  }

  /** getTypeInfo lists every pg_type row; only the built-in types a client relies on. */
  private static void dumpTypeInfo(ResultSet rs) throws SQLException {
    java.util.Set<String> wanted = new java.util.HashSet<>(java.util.Arrays.asList(
        "int2", "int4", "int8", "numeric", "float4", "float8", "bool", "text", "varchar",
        "bpchar", "bytea", "date", "time", "timetz", "timestamp", "timestamptz", "interval",
        "uuid", "json", "jsonb", "oid", "name", "_int4", "_text", "inet", "money"));
    ResultSetMetaData m = rs.getMetaData();
    java.util.List<String> rows = new java.util.ArrayList<>();
    while (rs.next()) {
      if (!wanted.contains(rs.getString("TYPE_NAME"))) {
        continue;
      }
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= m.getColumnCount(); i++) {
        row.append(i > 1 ? "|" : "").append(m.getColumnLabel(i)).append('=')
            .append(rs.getString(i));
      }
      rows.add(row.toString());
    }
    rs.close();
    java.util.Collections.sort(rows); // the driver's query has no ORDER BY
    rows.forEach(System.out::println);
  }

  private static void metadataFlags(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    System.out.println("product=" + md.getDatabaseProductName());
    System.out.println("major=" + md.getDatabaseMajorVersion());
    System.out.println("identifierQuote=" + md.getIdentifierQuoteString());
    System.out.println("searchEscape=" + md.getSearchStringEscape());
    System.out.println("maxNameLength=" + md.getMaxColumnNameLength());
    System.out.println("user=" + md.getUserName());
    System.out.println("readOnly=" + md.isReadOnly());
    System.out.println("catalog=" + c.getCatalog() + " schema=" + c.getSchema());
    System.out.println("isolation=" + c.getTransactionIsolation());
    System.out.println("stringFunctions=" + md.getStringFunctions());
    System.out.println("systemFunctions=" + md.getSystemFunctions());
  }

  private static void describe(ResultSetMetaData m) throws SQLException {
    for (int i = 1; i <= m.getColumnCount(); i++) {
      System.out.println(m.getColumnLabel(i) + ": type=" + m.getColumnType(i) + " name="
          + m.getColumnTypeName(i) + " class=" + m.getColumnClassName(i) + " precision="
          + m.getPrecision(i) + " scale=" + m.getScale(i) + " size="
          + m.getColumnDisplaySize(i) + " nullable=" + m.isNullable(i) + " autoIncrement="
          + m.isAutoIncrement(i) + " signed=" + m.isSigned(i) + " table=" + m.getTableName(i)
          + " schema=" + m.getSchemaName(i) + " column=" + m.getColumnName(i)
          + " caseSensitive=" + m.isCaseSensitive(i) + " currency=" + m.isCurrency(i));
    }
  }

  private static void resultSetMetadata(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, code, price, at, note, price * 2 AS twice,"
            + " 1::int2 AS small, now()::timestamptz(3) AS ms, 'x'::char(3) AS ch,"
            + " interval '1 day' AS iv FROM meta.parents WHERE false")) {
      describe(rs.getMetaData());
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT parent_id, seq, payload, tags, uid, data, d, ts FROM meta.children")) {
      describe(p.getMetaData());
    }
  }

  private static void parameterMetadata(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meta.children (parent_id, seq,"
        + " payload, tags, uid, data, d, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ParameterMetaData m = p.getParameterMetaData();
      for (int i = 1; i <= m.getParameterCount(); i++) {
        System.out.println(i + ": type=" + m.getParameterType(i) + " name="
            + m.getParameterTypeName(i) + " class=" + m.getParameterClassName(i) + " mode="
            + m.getParameterMode(i) + " nullable=" + m.isNullable(i));
      }
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT code FROM meta.parents WHERE price > ? AND at < ? AND id = ?")) {
      ParameterMetaData m = p.getParameterMetaData();
      for (int i = 1; i <= m.getParameterCount(); i++) {
        System.out.println(i + ": name=" + m.getParameterTypeName(i) + " precision="
            + m.getPrecision(i) + " scale=" + m.getScale(i));
      }
    }
  }

  private static void setObject(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO meta.parents (id, code, price, at) VALUES (100, 'p100', 1.50,"
          + " '2024-01-02 03:04:05+00')");
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meta.children (parent_id,"
        + " seq, payload, tags, uid, data, d, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      PGobject json = new PGobject();
      json.setType("jsonb");
      json.setValue("{\"k\": [1, 2.5, null]}");
      Array tags = c.createArrayOf("text", new String[] {"a", "b c", null});
      p.setObject(1, 100L);
      p.setObject(2, 1);
      p.setObject(3, json);
      p.setArray(4, tags);
      p.setObject(5, UUID.fromString("0e3a5d1c-1111-4222-8333-944455556666"));
      p.setBytes(6, new byte[] {0, 1, (byte) 255});
      p.setObject(7, java.sql.Date.valueOf("2024-02-29"));
      p.setTimestamp(8, Timestamp.valueOf("2024-03-01 12:34:56.789"));
      System.out.println("inserted=" + p.executeUpdate());
    }
    try (PreparedStatement p = c.prepareStatement("UPDATE meta.parents SET price = ?,"
        + " at = ?, note = ? WHERE id = ?")) {
      p.setObject(1, new BigDecimal("12345678.91"));
      p.setObject(2, OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 0, ZoneOffset.ofHours(2)));
      p.setObject(3, "note with 'quote'");
      p.setObject(4, 100L);
      System.out.println("updated=" + p.executeUpdate());
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT p.price, p.at, p.note, c.payload, c.tags,"
            + " c.uid, c.data, c.d, c.ts FROM meta.parents p JOIN meta.children c"
            + " ON c.parent_id = p.id WHERE p.id = 100")) {
      printRow(rs);
    }
  }

  private static void printRow(ResultSet rs) throws SQLException {
    ResultSetMetaData m = rs.getMetaData();
    while (rs.next()) {
      for (int i = 1; i <= m.getColumnCount(); i++) {
        Object o = rs.getObject(i);
        String shown = o instanceof byte[] ? java.util.Arrays.toString((byte[]) o)
            : o instanceof Array ? java.util.Arrays.deepToString((Object[]) ((Array) o)
            .getArray()) : String.valueOf(o);
        System.out.println(m.getColumnLabel(i) + "=" + shown + " ("
            + (o == null ? "null" : o.getClass().getName()) + ") string=" + rs.getString(i));
      }
    }
  }

  private static void generatedKeys(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meta.parents (code, price)"
        + " VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      p.setString(1, "gen");
      p.setBigDecimal(2, new BigDecimal("2.25"));
      p.executeUpdate();
      try (ResultSet keys = p.getGeneratedKeys()) {
        ResultSetMetaData m = keys.getMetaData();
        System.out.println("columns=" + m.getColumnCount() + " first=" + m.getColumnLabel(1));
        keys.next();
        System.out.println("code=" + keys.getString("code") + " price="
            + keys.getBigDecimal("price") + " idPositive=" + (keys.getLong("id") > 0));
      }
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meta.parents (code) VALUES (?)",
        new String[] {"code", "price"})) {
      p.setString(1, "named");
      p.executeUpdate();
      try (ResultSet keys = p.getGeneratedKeys()) {
        describe(keys.getMetaData());
        keys.next();
        System.out.println("code=" + keys.getString(1) + " price=" + keys.getString(2));
      }
    }
  }

  private static void rewrittenBatch(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meta.parents (id, code, price)"
        + " VALUES (?, ?, ?)")) {
      for (int i = 0; i < 7; i++) {
        p.setLong(1, 200 + i);
        p.setString(2, "b" + i);
        p.setBigDecimal(3, new BigDecimal(i + ".5"));
        p.addBatch();
      }
      System.out.println("counts=" + java.util.Arrays.toString(p.executeBatch()));
    }
    c.commit();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(price) FROM meta.parents"
            + " WHERE id BETWEEN 200 AND 206")) {
      rs.next();
      System.out.println("count=" + rs.getLong(1) + " sum=" + rs.getBigDecimal(2));
    }
  }

  private static void enumMoneyPartitioned(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO meta.logs VALUES (?, ?, ?::money)")) {
      p.setObject(1, java.time.LocalDate.of(2024, 7, 1));
      p.setObject(2, "ok", java.sql.Types.OTHER);
      p.setString(3, "12.34");
      System.out.println("inserted=" + p.executeUpdate());
    }
    try (PreparedStatement p = c.prepareStatement("SELECT at, mood, amount FROM meta.logs"
        + " WHERE at >= ?")) {
      for (int round = 0; round < 2; round++) {
        p.setObject(1, java.time.LocalDate.of(2024, 1, 1));
        try (ResultSet rs = p.executeQuery()) {
          describe(rs.getMetaData());
          printRow(rs);
        }
      }
    }
  }

  private static void binaryTransfer(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT p.id, p.price, p.at, c.seq,"
        + " c.payload, c.tags, c.uid, c.data, c.d, c.ts, 1.5::float8 AS f, true AS b,"
        + " ARRAY[1, 2]::int4[] AS ia, interval '1 day 02:03:04' AS iv, ?::int8 AS param"
        + " FROM meta.parents p JOIN meta.children c ON c.parent_id = p.id"
        + " WHERE p.id = ?")) {
      for (int round = 0; round < 3; round++) {
        p.setLong(1, 9_000_000_000L + round);
        p.setLong(2, 100L);
        try (ResultSet rs = p.executeQuery()) {
          System.out.println("round " + round + " server prepared="
              + p.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare());
          printRow(rs);
        }
      }
    }
  }
}
