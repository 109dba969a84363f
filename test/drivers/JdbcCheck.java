import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's PostgreSQL JDBC driver against a Tessera coordinator.
 * Usage: java -cp postgresql.jar:DIR JdbcCheck jdbc:postgresql://127.0.0.1:PORT/postgres
 * Expects `items` (distributed by id), `kinds` (reference) and `notes` (local, with row
 * n = 1, note = 'first'). Prints "ok STEP" or
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
}
