import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a BI tool built on PgJDBC (Metabase, DBeaver, Tableau) does to a warehouse, for the tests:
 * it reads the catalog through DatabaseMetaData, runs queries, tries writes, and can run one query
 * in a loop until a line (or EOF) arrives on stdin. Every result is one JSON line on stdout; a
 * failing statement is reported with its SQLSTATE, never thrown. Exit 0, or 1 when it cannot
 * connect, 2 for bad arguments.
 *
 * Arguments: --url jdbc:postgresql://host:port/db --user NAME [--schema S] [--query SQL]...
 * [--write SQL]... [--loop SQL [--every-ms N] [--max-ms N]]. The password, if any, comes from
 * the GMP_BI_PASSWORD environment variable, so it is never on a command line.
 */
public final class JdbcProbe {
  /** What BI tools ask getTables for: relations a user can query, not indexes or sequences. */
  private static final String[] RELATION_TYPES = {"TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "PARTITIONED TABLE"};

  private String url;
  private String user;
  private String schema;
  private final List<String> queries = new ArrayList<>();
  private final List<String> writes = new ArrayList<>();
  private String loopSql;
  private long everyMs = 0;
  private long maxMs = 60_000;

  public static void main(String[] args) {
    JdbcProbe probe = new JdbcProbe();
    try {
      probe.parse(args);
    } catch (IllegalArgumentException e) {
      emit(map("kind", "usage", "error", map("sqlState", null, "message", e.getMessage())));
      System.exit(2);
    }
    System.exit(probe.run());
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
      String value = args[++i];
      switch (flag) {
        case "--url" -> url = value;
        case "--user" -> user = value;
        case "--schema" -> schema = value;
        case "--query" -> queries.add(value);
        case "--write" -> writes.add(value);
        case "--loop" -> loopSql = value;
        case "--every-ms" -> everyMs = Long.parseLong(value);
        case "--max-ms" -> maxMs = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown argument " + flag);
      }
    }
    if (url == null || user == null) throw new IllegalArgumentException("--url and --user are required");
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    String password = System.getenv("GMP_BI_PASSWORD");
    if (password != null) props.setProperty("password", password);
    props.setProperty("ApplicationName", "gmp-bi-probe (jdbc)");
    return DriverManager.getConnection(url, props);
  }

  private int run() {
    try (Connection connection = connect()) {
      if (schema != null) emit(metadata(connection));
      for (String sql : queries) emit(query(connection, sql));
      for (String sql : writes) emit(write(connection, sql));
      if (loopSql != null) loop(connection);
      return 0;
    } catch (SQLException e) {
      emit(map("kind", "connect", "error", error(e)));
      return 1;
    }
  }

  private Map<String, Object> metadata(Connection connection) {
    List<Object> tables = new ArrayList<>();
    try {
      DatabaseMetaData meta = connection.getMetaData();
      try (ResultSet rs = meta.getTables(null, schema, "%", RELATION_TYPES)) {
        while (rs.next()) tables.add(map("name", rs.getString("TABLE_NAME"), "type", rs.getString("TABLE_TYPE")));
      }
      for (Object t : tables) {
        @SuppressWarnings("unchecked")
        Map<String, Object> table = (Map<String, Object>) t;
        List<Object> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, schema, (String) table.get("name"), "%")) {
          while (rs.next()) {
            columns.add(map("name", rs.getString("COLUMN_NAME"), "type", rs.getString("TYPE_NAME"), "nullable", rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
          }
        }
        table.put("columns", columns);
      }
      tables.sort((a, b) -> ((String) ((Map<?, ?>) a).get("name")).compareTo((String) ((Map<?, ?>) b).get("name")));
      return map("kind", "metadata", "schema", schema, "tables", tables);
    } catch (SQLException e) {
      return map("kind", "metadata", "schema", schema, "error", error(e));
    }
  }

  private Map<String, Object> query(Connection connection, String sql) {
    long start = System.nanoTime();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Object> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnLabel(i));
      List<Object> rows = new ArrayList<>();
      while (rs.next()) rows.add(row(rs, meta.getColumnCount()));
      return map("kind", "query", "sql", sql, "columns", columns, "rows", rows, "ms", elapsedMs(start));
    } catch (SQLException e) {
      return map("kind", "query", "sql", sql, "ms", elapsedMs(start), "error", error(e));
    }
  }

  private Map<String, Object> write(Connection connection, String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return map("kind", "write", "sql", sql, "refused", false, "updateCount", statement.getUpdateCount());
    } catch (SQLException e) {
      return map("kind", "write", "sql", sql, "refused", true, "error", error(e));
    }
  }

  /**
   * Runs loopSql on this connection (autocommit, as BI tools do, so every run sees the latest
   * committed marts) every everyMs until stdin has a line or ends, or maxMs has passed.
   */
  private void loop(Connection connection) {
    CountDownLatch stop = new CountDownLatch(1);
    Thread stdin = new Thread(() -> {
      try {
        System.in.read();
      } catch (java.io.IOException ignored) {
        // A closed stdin stops the loop as a line does.
      }
      stop.countDown();
    });
    stdin.setDaemon(true);
    stdin.start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
    int runs = 0;
    int failed = 0;
    String ended = "stdin";
    Connection current = connection;
    try {
      while (stop.getCount() > 0) {
        if (System.nanoTime() > deadline) {
          ended = "max-ms";
          break;
        }
        if (current.isClosed()) current = connect();
        Map<String, Object> result = query(current, loopSql);
        Map<String, Object> run = map("kind", "loop-run", "n", ++runs, "ms", result.get("ms"));
        if (result.containsKey("error")) {
          failed++;
          run.put("error", result.get("error"));
        } else {
          List<?> rows = (List<?>) result.get("rows");
          run.put("rowCount", rows.size());
          run.put("firstRow", rows.isEmpty() ? null : rows.get(0));
        }
        emit(run);
        if (everyMs > 0) stop.await(everyMs, TimeUnit.MILLISECONDS);
      }
    } catch (SQLException e) {
      emit(map("kind", "connect", "error", error(e)));
      ended = "connection";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (current != connection) {
        try {
          current.close();
        } catch (SQLException ignored) {
          // Closing a reconnection at the end; nothing to report.
        }
      }
    }
    emit(map("kind", "loop-end", "sql", loopSql, "runs", runs, "failed", failed, "ended", ended));
  }

  private static List<Object> row(ResultSet rs, int count) throws SQLException {
    List<Object> values = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Object value = rs.getObject(i);
      if (value == null || value instanceof Boolean || value instanceof Number) values.add(value);
      else values.add(String.valueOf(value));
    }
    return values;
  }

  private static Map<String, Object> error(SQLException e) {
    return map("sqlState", e.getSQLState(), "message", String.valueOf(e.getMessage()));
  }

  private static double elapsedMs(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) out.put((String) pairs[i], pairs[i + 1]);
    return out;
  }

  private static void emit(Map<String, Object> line) {
    StringBuilder out = new StringBuilder();
    json(out, line);
    System.out.println(out);
    System.out.flush();
  }

  private static void json(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      string(out, d.toString());
    } else if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      string(out, f.toString());
    } else if (value instanceof BigDecimal d) {
      out.append(d.toPlainString());
    } else if (value instanceof Number) {
      out.append(value);
    } else if (value instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) out.append(',');
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        json(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> l) {
      out.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) out.append(',');
        json(out, l.get(i));
      }
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
