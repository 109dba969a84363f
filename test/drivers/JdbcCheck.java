import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Debian's PostgreSQL JDBC driver against a Tessera coordinator.
 * Usage: java -cp postgresql.jar:DIR JdbcCheck jdbc:postgresql://127.0.0.1:PORT/postgres
 * Expects `items` (distributed by id), `kinds` (reference) and `notes` (local, with row
 * n = 1, note = 'first'); creates the distributed tables jdbc_lines (composite key, index,
 * foreign keys to items and kinds), jdbc_types and jdbc_serial. Prints "ok STEP" or
 * "FAIL STEP: error" per step; exits 1 when any step failed.
 */
public final class JdbcCheck {
  interface Step {
    void run(Connection c) throws Exception;
  }

  private static int failures = 0;

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], "postgres", "")) {
      step(c, "batch", JdbcCheck::batch);
      step(c, "result_set_metadata", JdbcCheck::resultSetMetadata);
      step(c, "get_tables", JdbcCheck::getTables);
      step(c, "get_columns", JdbcCheck::getColumns);
      step(c, "get_primary_keys", JdbcCheck::getPrimaryKeys);
      step(c, "fetch_size", JdbcCheck::fetchSize);
      step(c, "transactions", JdbcCheck::transactions);
      step(c, "transactions_distributed", JdbcCheck::transactionsDistributed);
      step(c, "server_prepared", JdbcCheck::serverPrepared);
      step(c, "metadata_schema", JdbcCheck::metadataSchema);
      step(c, "get_index_info", JdbcCheck::getIndexInfo);
      step(c, "get_imported_keys", JdbcCheck::getImportedKeys);
      step(c, "set_object_types", JdbcCheck::setObjectTypes);
      step(c, "generated_keys", JdbcCheck::generatedKeys);
      step(c, "prepare_threshold", JdbcCheck::prepareThreshold);
      step(c, "type_info_and_keywords", JdbcCheck::typeInfoAndKeywords);
      step(c, "read_only", JdbcCheck::readOnly);
      step(c, "isolation", conn -> isolation(conn, args[0]));
      step(c, "callable", JdbcCheck::callable);
      step(c, "refcursor", JdbcCheck::refcursor);
    }
    try (Connection c = DriverManager.getConnection(args[0] + "?reWriteBatchedInserts=true",
        "postgres", "")) {
      step(c, "rewrite_batched_inserts", JdbcCheck::rewriteBatchedInserts);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private static void step(Connection c, String name, Step step) {
    try {
      step.run(c);
      System.out.println("ok " + name);
    } catch (Throwable error) {
      failures++;
      String message = String.valueOf(error.getMessage()).replace('\n', ' ');
      System.out.println("FAIL " + name + ": " + error.getClass().getSimpleName() + ": " + message);
      try {
        if (!c.getAutoCommit()) c.rollback();
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the next step reports its own failure
      }
    }
    System.out.flush();
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  private static void batch(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
      for (int i = 0; i < 25; i++) {
        ps.setInt(1, 7000 + i);
        ps.setString(2, "jdbc" + i);
        ps.setBigDecimal(3, new java.math.BigDecimal(i + ".5"));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      check(counts.length == 25, "25 batch results");
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE id >= ?")) {
      ps.setInt(1, 7000);
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next() && rs.getLong(1) == 25, "25 rows inserted");
      }
    }
  }

  private static void resultSetMetadata(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT i.id, i.name, i.price, k.label FROM items i JOIN kinds k ON k.k = 1 "
                + "WHERE i.id = 7001")) {
      ResultSetMetaData md = rs.getMetaData();
      check(md.getColumnCount() == 4, "4 columns");
      check(md.getColumnName(1).equals("id") && md.getColumnType(1) == Types.INTEGER, "id int");
      check(md.getColumnName(2).equals("name") && md.getColumnType(2) == Types.VARCHAR, "name");
      check(md.getColumnType(3) == Types.NUMERIC, "price numeric");
      check(md.getColumnTypeName(4).equals("text"), "label text");
      check(rs.next() && rs.getString(2).equals("jdbc1"), "row");
    }
  }

  private static void getTables(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    List<String> names = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, "public", "%", new String[] {"TABLE"})) {
      while (rs.next()) names.add(rs.getString("TABLE_NAME"));
    }
    check(names.contains("items") && names.contains("kinds"), "tables " + names);
  }

  private static void getColumns(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, "public", "items", "%")) {
      while (rs.next()) columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
    }
    check(columns.equals(List.of("id:int4", "name:text", "price:numeric")), "columns " + columns);
  }

  private static void getPrimaryKeys(Connection c) throws SQLException {
    try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, "public", "items")) {
      check(rs.next() && rs.getString("COLUMN_NAME").equals("id"), "primary key");
      check(!rs.next(), "one key column");
    }
  }

  /** With autocommit off and a fetch size the driver reads through a suspended portal. */
  private static void fetchSize(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM items WHERE id >= ? ORDER BY id")) {
      ps.setFetchSize(4);
      ps.setInt(1, 7000);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) check(rs.getInt(1) == 7000 + n++, "row " + n);
      }
      check(n == 25, "25 rows, got " + n);
    }
    c.commit();
    c.setAutoCommit(true);
  }

  private static void transactions(Connection c) throws SQLException {
    runTransactions(c, "notes", "n", "note", 1, "first");
  }

  private static void transactionsDistributed(Connection c) throws SQLException {
    runTransactions(c, "items", "id", "name", 7024, "jdbc24");
  }

  /** Rolls an update back, then commits one, on `table` where `key` = `id`. */
  private static void runTransactions(Connection c, String table, String key, String column,
      int id, String original) throws SQLException {
    String read = "SELECT " + column + " FROM " + table + " WHERE " + key + " = " + id;
    String update = "UPDATE " + table + " SET " + column + " = '%s' WHERE " + key + " = " + id;
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.executeUpdate(String.format(update, "rolled"));
      c.rollback();
      try (ResultSet rs = st.executeQuery(read)) {
        check(rs.next() && rs.getString(1).equals(original), "rolled back");
      }
      st.executeUpdate(String.format(update, "committed"));
      c.commit();
      try (ResultSet rs = st.executeQuery(read)) {
        check(rs.next() && rs.getString(1).equals("committed"), "committed");
      }
      c.commit();
    }
    c.setAutoCommit(true);
  }

  private static void serverPrepared(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
      ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
      for (int i = 0; i < 8; i++) {
        ps.setInt(1, 7000 + i);
        try (ResultSet rs = ps.executeQuery()) {
          check(rs.next() && rs.getString(1).equals("jdbc" + i), "row " + i);
        }
      }
    }
  }

  private static void exec(Connection c, String... sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String one : sql) st.execute(one);
    }
  }

  /** A distributed table with a composite key, an index and foreign keys for the steps below. */
  private static void metadataSchema(Connection c) throws SQLException {
    exec(c, "DROP TABLE IF EXISTS jdbc_lines",
        "CREATE TABLE jdbc_lines (item_id int NOT NULL REFERENCES items (id), line int NOT NULL,"
            + " kind int REFERENCES kinds (k), qty int, PRIMARY KEY (item_id, line))",
        "CREATE INDEX jdbc_lines_qty ON jdbc_lines (qty DESC)",
        "SELECT create_distributed_table('jdbc_lines', 'item_id', colocate_with => 'items')");
  }

  private static void getIndexInfo(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getIndexInfo(null, "public", "jdbc_lines", false, false)) {
      while (rs.next()) {
        rows.add(rs.getString("INDEX_NAME") + ":" + rs.getBoolean("NON_UNIQUE") + ":"
            + rs.getShort("ORDINAL_POSITION") + ":" + rs.getString("COLUMN_NAME") + ":"
            + rs.getString("ASC_OR_DESC") + ":" + rs.getShort("TYPE"));
      }
    }
    List<String> expected = List.of("jdbc_lines_pkey:false:1:item_id:A:3",
        "jdbc_lines_pkey:false:2:line:A:3", "jdbc_lines_qty:true:1:qty:D:3");
    check(rows.equals(expected), "index info " + rows);
    try (ResultSet rs = c.getMetaData().getIndexInfo(null, "public", "jdbc_lines", true, true)) {
      int n = 0;
      while (rs.next()) n++;
      check(n == 2, "unique index columns " + n);
    }
  }

  private static void getImportedKeys(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getImportedKeys(null, "public", "jdbc_lines")) {
      while (rs.next()) {
        rows.add(rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME") + "<-"
            + rs.getString("FKTABLE_NAME") + "." + rs.getString("FKCOLUMN_NAME") + ":"
            + rs.getShort("KEY_SEQ") + ":" + rs.getString("FK_NAME") + ":"
            + rs.getString("PK_NAME") + ":" + rs.getShort("DELETE_RULE"));
      }
    }
    List<String> expected = List.of(
        "items.id<-jdbc_lines.item_id:1:jdbc_lines_item_id_fkey:items_pkey:3",
        "kinds.k<-jdbc_lines.kind:1:jdbc_lines_kind_fkey:kinds_pkey:3");
    check(rows.equals(expected), "imported keys " + rows);
    List<String> exported = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getExportedKeys(null, "public", "items")) {
      while (rs.next()) exported.add(rs.getString("FKTABLE_NAME"));
    }
    check(exported.equals(List.of("jdbc_lines")), "exported keys " + exported);
  }

  /** setObject with the Java types applications bind, through a distributed table. */
  private static void setObjectTypes(Connection c) throws SQLException {
    exec(c, "DROP TABLE IF EXISTS jdbc_types",
        "CREATE TABLE jdbc_types (id int PRIMARY KEY, ts timestamp, tstz timestamptz,"
            + " amount numeric(12,4), tags text[], nums int[], u uuid)",
        "SELECT create_distributed_table('jdbc_types', 'id')");
    Timestamp ts = Timestamp.valueOf("2024-02-29 13:45:01.123456");
    UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO jdbc_types VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      Array tags = c.createArrayOf("text", new String[] {"a b", "c,d", null});
      Array nums = c.createArrayOf("int4", new Integer[] {1, 2, 3});
      for (int id = 1; id <= 2; id++) {
        ps.setObject(1, id);
        ps.setObject(2, ts);
        ps.setObject(3, OffsetDateTime.of(2024, 2, 29, 13, 45, 1, 123456000,
            ZoneOffset.ofHours(2)));
        ps.setObject(4, new BigDecimal("12345678.9012"));
        ps.setObject(5, tags);
        ps.setObject(6, nums);
        ps.setObject(7, uuid);
        check(ps.executeUpdate() == 1, "one row");
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT ts, amount, tags, nums, u, ts = ? AS same, tstz FROM jdbc_types"
            + " WHERE id = ? AND u = ?")) {
      ps.setObject(1, ts);
      ps.setObject(2, 2);
      ps.setObject(3, uuid);
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next(), "row found");
        check(rs.getTimestamp(1).equals(ts), "timestamp " + rs.getTimestamp(1));
        check(rs.getBigDecimal(2).equals(new BigDecimal("12345678.9012")), "numeric");
        String[] tags = (String[]) rs.getArray(3).getArray();
        check(Arrays.asList(tags).equals(Arrays.asList("a b", "c,d", null)), "text[]");
        Integer[] nums = (Integer[]) rs.getArray(4).getArray();
        check(List.of(nums).equals(List.of(1, 2, 3)), "int[]");
        check(rs.getObject(5).equals(uuid), "uuid " + rs.getObject(5));
        check(rs.getBoolean(6), "timestamp parameter compares equal");
        OffsetDateTime tstz = rs.getObject(7, OffsetDateTime.class);
        check(tstz.toInstant().equals(OffsetDateTime.of(2024, 2, 29, 11, 45, 1, 123456000,
            ZoneOffset.UTC).toInstant()), "timestamptz " + tstz);
      }
    }
  }

  private static void generatedKeys(Connection c) throws SQLException {
    exec(c, "DROP TABLE IF EXISTS jdbc_serial",
        "CREATE TABLE jdbc_serial (id bigserial PRIMARY KEY, name text)",
        "SELECT create_distributed_table('jdbc_serial', 'id')");
    List<Long> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_serial (name) VALUES (?)",
        Statement.RETURN_GENERATED_KEYS)) {
      for (String name : new String[] {"a", "b", "c"}) {
        ps.setString(1, name);
        check(ps.executeUpdate() == 1, "one row");
        try (ResultSet rs = ps.getGeneratedKeys()) {
          check(rs.next(), "a generated key");
          keys.add(rs.getLong("id"));
        }
      }
    }
    check(keys.equals(List.of(1L, 2L, 3L)), "keys " + keys);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO jdbc_serial (name) VALUES (?)", new String[] {"id", "name"})) {
      ps.setString(1, "d");
      ps.addBatch();
      ps.setString(1, "e");
      ps.addBatch();
      ps.executeBatch();
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        while (rs.next()) rows.add(rs.getLong(1) + rs.getString(2));
      }
      check(rows.equals(List.of("4d", "5e")), "batch keys " + rows);
    }
  }

  /** The default prepareThreshold (5): from the fifth run on the driver uses a named statement. */
  private static void prepareThreshold(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT name, price FROM items WHERE id = ? AND price > ?")) {
      org.postgresql.PGStatement pgs = ps.unwrap(org.postgresql.PGStatement.class);
      check(pgs.getPrepareThreshold() == 5, "threshold " + pgs.getPrepareThreshold());
      for (int i = 0; i < 10; i++) {
        ps.setInt(1, 7000 + i);
        ps.setBigDecimal(2, new BigDecimal("0.1"));
        try (ResultSet rs = ps.executeQuery()) {
          check(rs.next() && rs.getString(1).equals("jdbc" + i), "row " + i);
          check(rs.getBigDecimal(2).equals(new BigDecimal(i + ".5")), "price " + i);
        }
        // The driver switches to a named statement once the fifth execution is due.
        check(pgs.isUseServerPrepare() == (i >= 3), "server prepared after run " + i);
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements"
            + " WHERE statement LIKE 'SELECT name, price FROM items%' AND NOT from_sql")) {
      check(rs.next() && rs.getLong(1) == 1, "one named statement on the server");
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
      for (int i = 0; i < 8; i++) {
        ps.setString(1, "jdbc" + i);
        ps.setInt(2, 7000 + i);
        check(ps.executeUpdate() == 1, "update " + i);
      }
    }
  }

  /** reWriteBatchedInserts folds a batch into multi-row INSERTs over shards. */
  private static void rewriteBatchedInserts(Connection c) throws SQLException {
    exec(c, "DELETE FROM items WHERE id >= 9000");
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
      for (int i = 0; i < 300; i++) {
        ps.setInt(1, 9000 + i);
        ps.setString(2, "rw" + i);
        ps.setBigDecimal(3, new BigDecimal(i));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      check(counts.length == 300, "300 results, got " + counts.length);
      for (int count : counts) check(count == Statement.SUCCESS_NO_INFO || count == 1, "count");
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT count(*), sum(price), count(DISTINCT name) FROM items WHERE id >= 9000")) {
      check(rs.next() && rs.getLong(1) == 300 && rs.getLong(2) == 44850 && rs.getLong(3) == 300,
          "rows after rewrite");
    }
  }

  /** What ORMs read at startup: getTypeInfo (pg_type) and getSQLKeywords (pg_get_keywords). */
  private static void typeInfoAndKeywords(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    List<String> types = new ArrayList<>();
    try (ResultSet rs = md.getTypeInfo()) {
      while (rs.next()) types.add(rs.getString("TYPE_NAME") + ":" + rs.getInt("DATA_TYPE"));
    }
    for (String expected : List.of("int4:4", "int8:-5", "text:12", "numeric:2", "bool:-7",
        "timestamptz:93", "uuid:1111", "jsonb:1111", "_int4:2003", "_text:2003")) {
      check(types.contains(expected), expected + " in " + types);
    }
    List<String> keywords = Arrays.asList(md.getSQLKeywords().split(","));
    check(keywords.contains("limit") && keywords.contains("returning")
        && keywords.contains("analyze") && !keywords.contains("select"), "keywords " + keywords);
  }

  /** setReadOnly: the driver begins READ ONLY blocks; writes fail with 25006, reads work. */
  private static void readOnly(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setReadOnly(true);
    try (Statement st = c.createStatement()) {
      for (String table : List.of("items", "kinds", "notes")) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          check(rs.next(), "read " + table);
        }
        Savepoint before = c.setSavepoint();
        try {
          st.executeUpdate("DELETE FROM " + table);
          throw new AssertionError("DELETE FROM " + table + " in a read-only transaction");
        } catch (SQLException error) {
          check("25006".equals(error.getSQLState()), table + ": " + error.getMessage());
          c.rollback(before);
        }
      }
    } finally {
      c.rollback();
      c.setReadOnly(false);
      c.setAutoCommit(true);
    }
  }

  /**
   * setTransactionIsolation sets the session's characteristics; the next block runs at that
   * level: under REPEATABLE READ a row another session commits meanwhile stays unseen.
   */
  private static void isolation(Connection c, String url) throws SQLException {
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setAutoCommit(false);
    try (Statement st = c.createStatement();
        Connection other = DriverManager.getConnection(url, "postgres", "");
        Statement write = other.createStatement()) {
      try (ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
        check(rs.next() && rs.getString(1).equals("repeatable read"), "level " + rs.getString(1));
      }
      String read = "SELECT note FROM notes WHERE n = 1";
      String before;
      try (ResultSet rs = st.executeQuery(read)) {
        check(rs.next(), "row");
        before = rs.getString(1);
      }
      write.executeUpdate("UPDATE notes SET note = 'isolated' WHERE n = 1");
      try (ResultSet rs = st.executeQuery(read)) {
        check(rs.next() && rs.getString(1).equals(before), "snapshot kept: " + rs.getString(1));
      }
      c.commit();
      try (ResultSet rs = st.executeQuery(read)) {
        check(rs.next() && rs.getString(1).equals("isolated"), "new snapshot");
      }
      c.commit();
    } finally {
      c.setAutoCommit(true);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
  }

  /** JDBC escape calls: the driver passes the OUT placeholder as a void parameter. */
  private static void callable(Connection c) throws SQLException {
    try (java.sql.CallableStatement cs = c.prepareCall("{? = call upper(?)}")) {
      cs.registerOutParameter(1, Types.VARCHAR);
      cs.setString(2, "abc");
      cs.execute();
      check("ABC".equals(cs.getString(1)), "upper: " + cs.getString(1));
    }
    try (java.sql.CallableStatement cs = c.prepareCall("{call lower(?)}")) {
      cs.setString(1, "XY");
      try (ResultSet rs = cs.executeQuery()) {
        check(rs.next() && rs.getString(1).equals("xy"), "lower");
      }
    }
  }

  /**
   * PL/pgSQL cursors returned by name over a distributed table, in a transaction:
   * {? = call f(?)} with an OTHER or REF_CURSOR result (the driver FETCHes ALL from it), a
   * cursor name FETCHed with a fetch size (a suspended portal), a procedure's INOUT refcursor.
   */
  private static void refcursor(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS jdbc_rc");
      s.execute("CREATE TABLE jdbc_rc (id int PRIMARY KEY, v text)");
      s.execute("SELECT create_distributed_table('jdbc_rc', 'id')");
      s.execute("INSERT INTO jdbc_rc SELECT g, 'v' || g FROM generate_series(1, 30) g");
      s.execute("CREATE OR REPLACE FUNCTION jdbc_rc_from(lo int) RETURNS refcursor "
          + "LANGUAGE plpgsql AS $$ DECLARE c refcursor; BEGIN "
          + "OPEN c FOR SELECT id, v FROM jdbc_rc WHERE id >= lo ORDER BY id; "
          + "RETURN c; END $$");
      s.execute("CREATE OR REPLACE PROCEDURE jdbc_rc_proc(INOUT c refcursor) "
          + "LANGUAGE plpgsql AS $$ BEGIN "
          + "OPEN c FOR SELECT id FROM jdbc_rc WHERE id < 4 ORDER BY id; END $$");
    }
    c.setAutoCommit(false);
    for (int type : new int[] {Types.OTHER, Types.REF_CURSOR}) {
      try (java.sql.CallableStatement cs = c.prepareCall("{? = call jdbc_rc_from(?)}")) {
        cs.registerOutParameter(1, type);
        cs.setInt(2, 27);
        cs.execute();
        try (ResultSet rs = (ResultSet) cs.getObject(1)) {
          check(ids(rs).equals(Arrays.asList(27, 28, 29, 30)), "cursor rows, type " + type);
        }
      }
    }
    String name;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT jdbc_rc_from(21)")) {
      check(rs.next(), "a cursor name");
      name = rs.getString(1);
    }
    try (PreparedStatement ps = c.prepareStatement("FETCH ALL FROM \"" + name + "\"")) {
      ps.setFetchSize(3);
      try (ResultSet rs = ps.executeQuery()) {
        check(ids(rs).size() == 10, "10 rows in chunks of 3");
      }
    }
    try (java.sql.CallableStatement cs = c.prepareCall("CALL jdbc_rc_proc(?)")) {
      cs.registerOutParameter(1, Types.OTHER);
      cs.setNull(1, Types.OTHER);
      cs.execute();
      try (ResultSet rs = (ResultSet) cs.getObject(1)) {
        check(ids(rs).equals(Arrays.asList(1, 2, 3)), "procedure's cursor");
      }
    }
    c.commit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE jdbc_rc");
    }
  }

  private static List<Integer> ids(ResultSet rs) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    while (rs.next()) ids.add(rs.getInt(1));
    return ids;
  }
}
