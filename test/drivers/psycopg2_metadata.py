"""psycopg2's view of a server, printed as "== SECTION" blocks for drivers-metadata.test.ts,
which runs this against PostgreSQL 15 and Tessera and compares the blocks: cursor.description,
COPY (copy_from, copy_to, copy_expert), named cursors with itersize, execute_values, the Json
adapter, arrays, Decimal, dates and intervals, server_version and parameter statuses,
notices, DictCursor, autocommit and set_session, and two-phase commit.
Usage: python3 psycopg2_metadata.py URL   (expects the schema `meta` of the test).
A failing section prints "ERROR SQLSTATE first line of the message".
"""
import datetime
import decimal
import io
import sys

import psycopg2
import psycopg2.extras
from psycopg2.extras import Json

URL = sys.argv[1]


def section(conn, name, body):
    print("== " + name)
    try:
        body(conn)
    except psycopg2.Error as error:
        message = (error.pgerror or str(error)).strip().split("\n")[0]
        print("ERROR %s %s" % (error.pgcode, message))
    finally:
        conn.reset()
        conn.set_session(autocommit=False, readonly="DEFAULT", isolation_level="DEFAULT")
    sys.stdout.flush()


def description(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT id, code, price, at, note, price * 2 AS twice, 1::int2 AS small,"
                    " 'x'::char(3) AS ch, 'y'::varchar(7) AS vc, 2.5::numeric(6, 3) AS n,"
                    " interval '1 day' AS iv, true AS b, 1.5::float4 AS f4"
                    " FROM meta.parents WHERE false")
        for column in cur.description:
            print(tuple(column))
        cur.execute("SELECT parent_id, seq, payload, tags, uid, data, d, ts FROM meta.children"
                    " WHERE false")
        for column in cur.description:
            print(tuple(column))
    conn.rollback()


def copy(conn):
    with conn.cursor() as cur:
        cur.execute("SET search_path = meta, public")  # copy_from quotes its table name
        cur.copy_from(io.StringIO("1\tc1\t1.25\n2\tc2\t\\N\n3\tc3\t3.00\n"), "parents",
                      columns=("id", "code", "price"))
        print("copy_from rowcount", cur.rowcount)
        out = io.StringIO()
        cur.copy_expert("COPY (SELECT id, code, price FROM meta.parents WHERE id <= 3"
                        " ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)", out)
        print(repr(out.getvalue()))
        cur.copy_expert("COPY meta.kinds (k, label) FROM STDIN WITH (FORMAT csv)",
                        io.StringIO('3,"three, with comma"\n4,\n'))
        print("copy_expert rowcount", cur.rowcount)
        out = io.StringIO()
        cur.copy_to(out, "kinds", sep="|", null="<null>")
        print(sorted(out.getvalue().splitlines()))
        cur.execute("RESET search_path")
    conn.commit()


def named_cursor(conn):
    with conn.cursor("meta_named") as cur:
        cur.itersize = 2
        cur.execute("SELECT id, code FROM meta.parents WHERE id <= 3 ORDER BY id")
        print([tuple(row) for row in cur])
        print("rownumber", cur.rownumber, "name", cur.name)
    with conn.cursor("meta_scroll", scrollable=True) as cur:
        cur.execute("SELECT g FROM generate_series(1, 10) g")
        print(cur.fetchmany(3), cur.fetchone())
        cur.scroll(-2)
        print(cur.fetchone())
        cur.scroll(8, mode="absolute")
        print(cur.fetchall())
    conn.commit()


def execute_values(conn):
    with conn.cursor() as cur:
        psycopg2.extras.execute_values(
            cur, "INSERT INTO meta.children (parent_id, seq, payload, tags) VALUES %s",
            [(1, i, Json({"i": i, "list": [1, None]}), ["a", str(i)]) for i in range(5)],
            page_size=2)
        print("rowcount", cur.rowcount)
        rows = psycopg2.extras.execute_values(
            cur, "INSERT INTO meta.children (parent_id, seq) VALUES %s RETURNING seq",
            [(2, 10), (2, 11)], fetch=True)
        print(sorted(rows))
        cur.execute("SELECT seq, payload, tags FROM meta.children WHERE parent_id = 1"
                    " ORDER BY seq")
        print(cur.fetchall())
    conn.commit()


def typed_values(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT %s::numeric(10,2), 'NaN'::numeric, %s, %s::date, %s::time,"
                    " %s::timestamptz, %s::timestamp, %s::interval, interval '-1 month 2 days',"
                    " %s::int[], %s::text[], ARRAY[[1,2],[3,4]], %s::jsonb, %s::json,"
                    " %s::bytea, %s::uuid, 1.5::float8, %s::bigint",
                    (decimal.Decimal("1.105"), decimal.Decimal("-0.000100"),
                     datetime.date(2024, 2, 29), datetime.time(12, 34, 56, 789000),
                     datetime.datetime(2024, 3, 1, 1, 2, 3, tzinfo=datetime.timezone.utc),
                     datetime.datetime(2024, 3, 1, 1, 2, 3, 456),
                     datetime.timedelta(days=1, hours=2, microseconds=5),
                     [1, None, 3], ["a", "b c", None, "\"q\""], Json([1, {"a": None}]),
                     Json({"k": "v"}), psycopg2.Binary(b"\x00\xff"),
                     "0e3a5d1c-1111-4222-8333-944455556666", 2 ** 40))
        row = cur.fetchone()
        for value in row:
            print(type(value).__name__, repr(bytes(value) if isinstance(value, memoryview)
                                             else value))
        print(cur.mogrify("SELECT %s, %s, %s", (None, True, [1.5, 2])).decode())
    conn.rollback()


def server_facts(conn):
    print("server_version_major", conn.server_version // 10000)
    print("protocol_version", conn.protocol_version)
    for name in ("server_encoding", "client_encoding", "DateStyle", "integer_datetimes",
                 "standard_conforming_strings", "TimeZone", "IntervalStyle", "is_superuser",
                 "session_authorization", "application_name"):
        print(name, conn.get_parameter_status(name))
    print("encoding", conn.encoding, "dsn_has_host", "host" in conn.dsn)
    print("isolation_level", conn.isolation_level, "status", conn.status)


def notices(conn):
    del conn.notices[:]
    with conn.cursor() as cur:
        cur.execute("DO $$BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END$$")
        cur.execute("DROP TABLE IF EXISTS meta.does_not_exist")
    print([n.strip() for n in conn.notices])
    conn.commit()


def dict_cursor(conn):
    with conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        cur.execute("SELECT id, code FROM meta.parents WHERE id <= 2 ORDER BY id")
        rows = cur.fetchall()
        print([(row["id"], row["code"], row[1], list(row.keys())) for row in rows])
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute("SELECT k, label FROM meta.kinds WHERE k = 1")
        print(cur.fetchall())
    with conn.cursor(cursor_factory=psycopg2.extras.NamedTupleCursor) as cur:
        cur.execute("SELECT 1 AS one, 'x' AS two")
        print(cur.fetchone())
    conn.rollback()


def sessions(conn):
    ext = psycopg2.extensions
    results = []
    for kwargs in ({"isolation_level": "SERIALIZABLE", "readonly": True},
                   {"isolation_level": ext.ISOLATION_LEVEL_REPEATABLE_READ,
                    "readonly": False},
                   {"isolation_level": "DEFAULT", "readonly": "DEFAULT"}):
        conn.set_session(**kwargs)
        with conn.cursor() as cur:
            cur.execute("SHOW transaction_isolation")
            level = cur.fetchone()[0]
            cur.execute("SHOW transaction_read_only")
            results.append((level, cur.fetchone()[0], conn.isolation_level, conn.readonly,
                            conn.deferrable))
        conn.rollback()
    print(results)
    conn.set_session(readonly=True)
    with conn.cursor() as cur:
        try:
            cur.execute("INSERT INTO meta.kinds VALUES (9, 'nine')")
        except psycopg2.Error as error:
            print("read-only insert", error.pgcode)
    conn.rollback()
    conn.set_session(readonly="DEFAULT")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        print("autocommit status", conn.get_transaction_status())
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        print("transaction status", conn.get_transaction_status())
    conn.rollback()


def two_phase(conn):
    xid = conn.xid(7, "meta-gtrid", "meta-bqual")
    conn.tpc_begin(xid)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO meta.kinds VALUES (20, 'prepared')")
    conn.tpc_prepare()
    other = psycopg2.connect(URL)
    recovered = [x for x in other.tpc_recover() if x.gtrid == "meta-gtrid"]
    other.close()
    print([(x.format_id, x.gtrid, x.bqual, x.database) for x in recovered])
    conn.tpc_commit()
    conn.tpc_begin("meta-plain")
    with conn.cursor() as cur:
        cur.execute("INSERT INTO meta.kinds VALUES (21, 'rolled back')")
    conn.tpc_prepare()
    conn.tpc_rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT k, label FROM meta.kinds WHERE k >= 20 ORDER BY k")
        print(cur.fetchall())
    conn.rollback()


def main():
    conn = psycopg2.connect(URL)
    for name, body in (("description", description), ("copy", copy),
                       ("named_cursor", named_cursor), ("execute_values", execute_values),
                       ("typed_values", typed_values), ("server_facts", server_facts),
                       ("notices", notices), ("dict_cursor", dict_cursor),
                       ("set_session", sessions), ("two_phase", two_phase)):
        section(conn, name, body)
    conn.close()


main()
