"""psycopg2 (Debian's python3-psycopg2) against a Tessera coordinator.

Usage: /usr/bin/python3 psycopg2_check.py DSN
Expects `items` (distributed by id), `kinds` (reference) and `notes` (local, with the row
n = 1, note = 'first'). Prints one line per step: "ok STEP" or "FAIL STEP: error"; exits 1
when any step failed.
"""
import datetime
import decimal
import io
import sys
import uuid

import psycopg2
import psycopg2.extras

from check_steps import Steps

conn = psycopg2.connect(sys.argv[1])
conn.autocommit = True


def rollback_and_reset():
    conn.rollback()
    conn.autocommit = True


steps = Steps(after_failure=rollback_and_reset)
step = steps.step


@step("parameters")
def parameters():
    cur = conn.cursor()
    cur.execute("INSERT INTO items (id, name, price) VALUES (%s, %s, %s)", (1001, "pen", 2.5))
    cur.execute("SELECT name, price FROM items WHERE id = %s", (1001,))
    row = cur.fetchone()
    assert row[0] == "pen" and float(row[1]) == 2.5, row
    cur.execute("SELECT label FROM kinds WHERE k = %(k)s", {"k": 1})
    assert cur.fetchone() == ("a",)


@step("executemany")
def executemany():
    cur = conn.cursor()
    cur.executemany("INSERT INTO items (id, name, price) VALUES (%s, %s, %s)",
                    [(2000 + i, "bulk%d" % i, i) for i in range(20)])
    cur.execute("SELECT count(*) FROM items WHERE id >= 2000 AND id < 2020")
    assert cur.fetchone() == (20,)
    psycopg2.extras.execute_values(
        cur, "INSERT INTO kinds (k, label) VALUES %s", [(10, "x"), (11, "y")])
    cur.execute("SELECT count(*) FROM kinds WHERE k >= 10")
    assert cur.fetchone() == (2,)


@step("copy_from_stdin")
def copy_from_stdin():
    cur = conn.cursor()
    data = io.StringIO("".join("%d\tcopied%d\t%d.25\n" % (3000 + i, i, i) for i in range(50)))
    cur.copy_expert("COPY items (id, name, price) FROM STDIN", data)
    cur.execute("SELECT count(*), sum(price) FROM items WHERE id >= 3000 AND id < 3050")
    count, total = cur.fetchone()
    assert count == 50 and float(total) == sum(i + 0.25 for i in range(50)), (count, total)


@step("copy_to_stdout")
def copy_to_stdout():
    cur = conn.cursor()
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT id, name FROM items WHERE id >= 3000 AND id < 3005 "
                    "ORDER BY id) TO STDOUT", out)
    assert out.getvalue() == "".join("%d\tcopied%d\n" % (3000 + i, i) for i in range(5)), \
        out.getvalue()
    out = io.StringIO()
    cur.copy_expert("COPY items TO STDOUT WITH (FORMAT csv)", out)
    cur.execute("SELECT count(*) FROM items")
    lines = out.getvalue().splitlines()
    assert len(lines) == cur.fetchone()[0] and "1001,pen,2.5" in lines, lines
    out = io.StringIO()
    cur.copy_expert("COPY kinds TO STDOUT", out)
    assert "1\ta\n" in out.getvalue(), out.getvalue()


@step("named_cursor")
def named_cursor():
    conn.autocommit = False
    cur = conn.cursor(name="big_scan")
    cur.itersize = 7
    cur.execute("SELECT id, name FROM items WHERE id >= 3000 ORDER BY id")
    ids = [row[0] for row in cur]
    assert ids == list(range(3000, 3050)), ids
    cur.close()
    cur = conn.cursor(name="one_shard")
    cur.execute("SELECT name FROM items WHERE id = %s", (1001,))
    assert cur.fetchmany(5) == [("pen",)]
    cur.close()
    conn.commit()
    conn.autocommit = True


@step("named_cursor_with_hold")
def named_cursor_with_hold():
    conn.autocommit = False
    cur = conn.cursor(name="held", withhold=True)
    cur.execute("SELECT k, label FROM kinds ORDER BY k")
    conn.commit()
    rows = cur.fetchall()
    assert rows[:2] == [(1, "a"), (2, "b")], rows
    cur.close()
    conn.autocommit = True


def run_transactions(table, key, column, id_, original):
    read = "SELECT %s FROM %s WHERE %s = %%s" % (column, table, key)
    update = "UPDATE %s SET %s = %%s WHERE %s = %%s" % (table, column, key)
    conn.autocommit = False
    cur = conn.cursor()
    cur.execute(update, ("rolled", id_))
    conn.rollback()
    cur.execute(read, (id_,))
    assert cur.fetchone() == (original,), "rolled back"
    cur.execute(update, ("committed", id_))
    conn.commit()
    cur.execute(read, (id_,))
    assert cur.fetchone() == ("committed",), "committed"
    conn.commit()
    conn.autocommit = True


@step("transactions")
def transactions():
    run_transactions("notes", "n", "note", 1, "first")


@step("transactions_distributed")
def transactions_distributed():
    run_transactions("items", "id", "name", 1001, "pen")


@step("notices")
def notices():
    del conn.notices[:]
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS no_such_table_here")
    assert any("does not exist" in n for n in conn.notices), conn.notices


@step("errors")
def errors():
    cur = conn.cursor()
    try:
        cur.execute("SELECT * FROM items WHERE id = %s", ("not a number",))
        raise AssertionError("expected an error")
    except psycopg2.DataError as error:
        assert error.pgcode == "22P02", error.pgcode


@step("typed_values")
def typed_values():
    """Decimal, datetimes with time zones, dicts through Json, arrays, UUID: distributed."""
    psycopg2.extras.register_uuid()
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS py_types")
    cur.execute("CREATE TABLE py_types (id int PRIMARY KEY, amount numeric(14,4), "
                "at timestamptz, local timestamp, day date, body jsonb, tags text[], "
                "nums int[], u uuid, span interval)")
    cur.execute("SELECT create_distributed_table('py_types', 'id')")
    tz = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    at = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=tz)
    local = datetime.datetime(1999, 12, 31, 23, 59, 59)
    body = {"name": "pen", "tags": ["a", "b"], "n": 1.5, "ok": True, "none": None}
    key = uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    row = (decimal.Decimal("1234567890.1234"), at, local, datetime.date(2024, 1, 2),
           psycopg2.extras.Json(body), ["x", "y z", None, 'q"uote'], [1, None, 3], key,
           datetime.timedelta(days=1, seconds=5))
    for id_ in (1, 2, 3):
        cur.execute("INSERT INTO py_types VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (id_,) + row)
    cur.execute("SELECT amount, at, local, day, body, tags, nums, u, span FROM py_types "
                "WHERE id = %s AND at = %s AND u = %s", (2, at, key))
    got = cur.fetchone()
    assert got is not None, "row not found by timestamptz and uuid"
    amount, got_at, got_local, day, got_body, tags, nums, got_key, span = got
    assert amount == decimal.Decimal("1234567890.1234"), amount
    assert got_at == at and got_at.utcoffset() is not None, got_at
    assert got_local == local and day == datetime.date(2024, 1, 2), (got_local, day)
    assert got_body == body, got_body
    assert tags == ["x", "y z", None, 'q"uote'] and nums == [1, None, 3], (tags, nums)
    assert got_key == key and span == datetime.timedelta(days=1, seconds=5), (got_key, span)
    cur.execute("SELECT body->>'name', body->'tags'->1, sum(amount) FROM py_types "
                "WHERE body @> %s GROUP BY 1, 2", (psycopg2.extras.Json({"ok": True}),))
    assert cur.fetchall() == [("pen", "b", decimal.Decimal("3703703670.3702"))]
    cur.execute("SELECT count(*) FROM py_types WHERE tags && %s AND id = ANY(%s)",
                (["y z"], [1, 3, 5]))
    assert cur.fetchone() == (2,)
    cur.execute("SET TIME ZONE 'America/New_York'")
    cur.execute("SELECT at FROM py_types WHERE id = 1")
    shown = cur.fetchone()[0]
    assert shown == at and shown.utcoffset() == datetime.timedelta(hours=-5), shown
    cur.execute("RESET TIME ZONE")


@step("execute_values_distributed")
def execute_values_distributed():
    cur = conn.cursor()
    rows = [(4000 + i, "ev%d" % i, decimal.Decimal(i) / 4) for i in range(250)]
    psycopg2.extras.execute_values(
        cur, "INSERT INTO items (id, name, price) VALUES %s", rows, page_size=100)
    got = psycopg2.extras.execute_values(
        cur, "INSERT INTO items (id, name, price) VALUES %s RETURNING id", 
        [(4300, "r1", 1), (4301, "r2", 2)], fetch=True)
    assert sorted(got) == [(4300,), (4301,)], got
    psycopg2.extras.execute_batch(
        cur, "UPDATE items SET price = price + %s WHERE id = %s",
        [(1, 4000 + i) for i in range(10)])
    cur.execute("SELECT count(*), sum(price) FROM items WHERE id >= 4000 AND id < 4250")
    count, total = cur.fetchone()
    assert count == 250 and total == sum(decimal.Decimal(i) / 4 for i in range(250)) + 10, \
        (count, total)


@step("named_cursor_itersize")
def named_cursor_itersize():
    """A server-side cursor over a distributed table, fetched itersize rows at a time."""
    conn.autocommit = False
    cur = conn.cursor(name="paged", cursor_factory=psycopg2.extras.DictCursor)
    cur.itersize = 16
    cur.execute("SELECT id, name, price FROM items WHERE id >= 4000 AND id < 4250 "
                "ORDER BY id")
    seen = []
    for row in cur:
        seen.append((row["id"], row["name"]))
    assert [r[0] for r in seen] == list(range(4000, 4250)), len(seen)
    cur.close()
    cur = conn.cursor(name="scrolled", scrollable=True)
    cur.execute("SELECT id FROM items WHERE id >= 4000 AND id < 4010 ORDER BY id")
    assert cur.fetchmany(3) == [(4000,), (4001,), (4002,)]
    cur.scroll(5)
    assert cur.fetchone() == (4008,)
    cur.scroll(0, mode="absolute")
    assert cur.fetchone() == (4000,)
    cur.close()
    conn.commit()
    conn.autocommit = True


@step("copy_expert_csv")
def copy_expert_csv():
    cur = conn.cursor()
    data = io.StringIO("id,name,price\n5000,\"with, comma\",1.5\n5001,\"quote \"\"x\"\"\",\n"
                       "5002,\"multi\nline\",3\n")
    cur.copy_expert("COPY items (id, name, price) FROM STDIN WITH (FORMAT csv, HEADER true)",
                    data)
    assert cur.rowcount == 3, cur.rowcount
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT id, name, price FROM items WHERE id >= 5000 AND id < 5003 "
                    "ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true, NULL 'NULL')", out)
    assert out.getvalue() == ("id,name,price\n5000,\"with, comma\",1.5\n"
                              "5001,\"quote \"\"x\"\"\",NULL\n5002,\"multi\nline\",3\n"), \
        repr(out.getvalue())


@step("notices_create_distributed_table")
def notices_create_distributed_table():
    del conn.notices[:]
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS py_notice")
    cur.execute("CREATE TABLE py_notice (id int PRIMARY KEY, v text)")
    cur.execute("INSERT INTO py_notice SELECT g, 'v' || g FROM generate_series(1, 5) g")
    del conn.notices[:]
    cur.execute("SELECT create_distributed_table('py_notice', 'id')")
    expected = [
        "NOTICE:  Copying data from local table...\n",
        "NOTICE:  copying the data has completed\n"
        "DETAIL:  The local data in the table is no longer visible, but is still on disk.\n"
        "HINT:  To remove the local data, run: SELECT "
        "truncate_local_data_after_distributing_table($$public.py_notice$$)\n",
    ]
    assert conn.notices == expected, conn.notices
    cur.execute("SELECT count(*) FROM py_notice")
    assert cur.fetchone() == (5,)
    cur.execute("DROP TABLE py_notice")


@step("set_session")
def set_session():
    """set_session(readonly, isolation_level): each transaction begins with them."""
    conn.autocommit = False
    conn.set_session(readonly=True, isolation_level="REPEATABLE READ")
    try:
        cur = conn.cursor()
        cur.execute("SHOW transaction_isolation")
        assert cur.fetchone() == ("repeatable read",)
        cur.execute("SELECT count(*) FROM items")
        for sql in ("UPDATE items SET name = 'x'", "INSERT INTO kinds VALUES (99, 'z')",
                    "DELETE FROM notes"):
            try:
                cur.execute(sql)
                raise AssertionError("%s ran in a read-only transaction" % sql)
            except psycopg2.errors.ReadOnlySqlTransaction:
                conn.rollback()
    finally:
        conn.rollback()
        conn.set_session(readonly=False, isolation_level="READ COMMITTED")
        conn.autocommit = True


@step("refcursor")
def refcursor():
    """PL/pgSQL cursors returned by name over a distributed table: callproc of a function
    returning refcursor, SETOF refcursor, a procedure's INOUT refcursor (CALL p(NULL)), each
    read with a named cursor in the same transaction; they end with it."""
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS py_rc")
    cur.execute("CREATE TABLE py_rc (id int PRIMARY KEY, v text)")
    cur.execute("SELECT create_distributed_table('py_rc', 'id')")
    cur.execute("INSERT INTO py_rc SELECT g, 'v' || g FROM generate_series(1, 30) g")
    cur.execute("CREATE OR REPLACE FUNCTION py_rc_from(lo int) RETURNS refcursor "
                "LANGUAGE plpgsql AS $$ DECLARE c refcursor; BEGIN "
                "OPEN c FOR SELECT id, v FROM py_rc WHERE id >= lo ORDER BY id; "
                "RETURN c; END $$")
    cur.execute("CREATE OR REPLACE FUNCTION py_rc_two() RETURNS SETOF refcursor "
                "LANGUAGE plpgsql AS $$ DECLARE a refcursor := 'py_a'; "
                "b refcursor := 'py_b'; BEGIN "
                "OPEN a FOR SELECT count(*) FROM py_rc; RETURN NEXT a; "
                "OPEN b FOR SELECT max(id) FROM py_rc; RETURN NEXT b; END $$")
    cur.execute("CREATE OR REPLACE PROCEDURE py_rc_proc(INOUT c refcursor) "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "OPEN c FOR EXECUTE 'SELECT id FROM py_rc WHERE id < $1 ORDER BY id' "
                "USING 4; END $$")
    conn.autocommit = False
    cur.callproc("py_rc_from", [26])
    name = cur.fetchone()[0]
    assert name.startswith("<unnamed portal "), name
    named = conn.cursor(name)
    assert named.fetchmany(2) == [(26, "v26"), (27, "v27")]
    assert named.fetchall() == [(28, "v28"), (29, "v29"), (30, "v30")]
    cur.execute("SELECT py_rc_two()")
    assert cur.fetchall() == [("py_a",), ("py_b",)]
    assert conn.cursor("py_a").fetchall() == [(30,)]
    assert conn.cursor("py_b").fetchall() == [(30,)]
    cur.execute("CALL py_rc_proc(NULL)")
    name = cur.fetchone()[0]
    named = conn.cursor(name)
    named.itersize = 2
    assert [r[0] for r in named] == [1, 2, 3]
    conn.commit()
    try:
        cur.execute('FETCH ALL FROM "%s"' % name)
        raise AssertionError("the cursor outlived its transaction")
    except psycopg2.errors.InvalidCursorName:
        conn.rollback()
    conn.autocommit = True
    cur.execute("DROP TABLE py_rc")


conn.close()
steps.exit()
