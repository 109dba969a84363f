"""psycopg 3 (Debian's python3-psycopg) against a Tessera coordinator.

Usage: /usr/bin/python3 psycopg3_check.py DSN
Expects `items` (distributed by id), `kinds` (reference), `docs` (distributed, tags text[],
body jsonb) and `notes` (local, with the row n = 1, note = 'first'). Prints one line per step:
"ok STEP" or "FAIL STEP: error"; exits 1 when any step failed.

psycopg 3 differs from psycopg2 where a server shows: parameters are bound server-side
(extended protocol), results may be asked for in binary, statements run often are prepared
on the server, pipeline mode sends many statements before one Sync, and COPY TO reads one
row per CopyData message.
"""
import datetime
import decimal
import sys
import uuid

import psycopg
from psycopg.types.json import Jsonb

from check_steps import Steps


def rollback_if_open():
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.rollback()


conn = psycopg.connect(sys.argv[1], autocommit=True)
steps = Steps(after_failure=rollback_if_open)
step = steps.step


@step("server_side_parameters")
def server_side_parameters():
    cur = conn.cursor()
    cur.execute("INSERT INTO items (id, name, price) VALUES (%s, %s, %s)",
                (3001, "pen", decimal.Decimal("2.50")))
    cur.execute("SELECT name, price FROM items WHERE id = %s", (3001,))
    assert cur.fetchone() == ("pen", decimal.Decimal("2.50"))
    cur.execute("SELECT label FROM kinds WHERE k = %(k)s", {"k": 1})
    assert cur.fetchone() == ("a",)
    cur.execute("SELECT count(*) FROM items WHERE id = ANY(%s)", ([3001, 3002],))
    assert cur.fetchone() == (1,)


@step("binary_results")
def binary_results():
    cur = conn.cursor(binary=True)
    cur.execute("INSERT INTO docs (id, tags, body) VALUES (%s, %s, %s)",
                (3001, ["x", "y"], Jsonb({"k": 1})))
    cur.execute("SELECT id, tags, body, now() > '2000-01-01'::timestamptz FROM docs "
                "WHERE id = %s", (3001,))
    assert cur.fetchone() == (3001, ["x", "y"], {"k": 1}, True)
    cur.execute("SELECT name, price FROM items WHERE id = %s", (3001,))
    assert cur.fetchone() == ("pen", decimal.Decimal("2.50"))


@step("executemany")
def executemany():
    cur = conn.cursor()
    cur.executemany("INSERT INTO items (id, name, price) VALUES (%s, %s, %s)",
                    [(3100 + i, "bulk%d" % i, i) for i in range(20)])
    cur.execute("SELECT count(*), sum(price) FROM items WHERE id >= 3100 AND id < 3120")
    assert cur.fetchone() == (20, decimal.Decimal(190))


@step("prepared_statements")
def prepared_statements():
    cur = conn.cursor()
    for i in range(8):  # past prepare_threshold (5): psycopg prepares it on the server
        cur.execute("SELECT name FROM items WHERE id = %s", (3100 + i,))
        assert cur.fetchone() == ("bulk%d" % i,)
    cur.execute("SELECT %s::int + %s::int", (40, 2), prepare=True)
    assert cur.fetchone() == (42,)


@step("pipeline")
def pipeline():
    with conn.pipeline():
        for i in range(10):
            conn.execute("INSERT INTO items (id, name) VALUES (%s, %s)", (3200 + i, "piped"))
        counted = conn.execute("SELECT count(*) FROM items WHERE name = 'piped'")
        labels = conn.execute("SELECT label FROM kinds WHERE k = %s", (1,))
    assert counted.fetchone() == (10,)
    assert labels.fetchone() == ("a",)


@step("copy_rows")
def copy_rows():
    cur = conn.cursor()
    with cur.copy("COPY items (id, name, price) FROM STDIN") as copy:
        for i in range(5):
            copy.write_row((3300 + i, "copied\t%d" % i, decimal.Decimal(i)))
    with cur.copy("COPY (SELECT id, name FROM items WHERE id >= 3300 AND id < 3400 "
                  "ORDER BY id) TO STDOUT") as copy:
        copy.set_types(["int4", "text"])
        rows = list(copy.rows())
    assert rows == [(3300 + i, "copied\t%d" % i) for i in range(5)], rows
    with cur.copy("COPY kinds (k, label) TO STDOUT (FORMAT csv, HEADER)") as copy:
        lines = [bytes(data).decode() for data in copy]
    assert lines[0] == "k,label\n" and len(lines) > 1, lines


@step("copy_binary")
def copy_binary():
    cur = conn.cursor()
    with cur.copy("COPY items (id, name) FROM STDIN (FORMAT binary)") as copy:
        copy.set_types(["int4", "text"])
        for i in range(3):
            copy.write_row((3400 + i, "binary"))
    with cur.copy("COPY (SELECT id, name FROM items WHERE name = 'binary' ORDER BY id) "
                  "TO STDOUT (FORMAT binary)") as copy:
        copy.set_types(["int4", "text"])
        rows = list(copy.rows())
    assert rows == [(3400, "binary"), (3401, "binary"), (3402, "binary")], rows


@step("server_cursor")
def server_cursor():
    with conn.transaction():
        with conn.cursor(name="items_by_id") as cur:
            cur.itersize = 7
            cur.execute("SELECT id FROM items WHERE id >= 3100 AND id < 3120 ORDER BY id")
            first = cur.fetchmany(3)
            rest = [row[0] for row in cur]
    assert [row[0] for row in first] == [3100, 3101, 3102]
    assert rest == list(range(3103, 3120))


@step("transactions")
def transactions():
    with conn.transaction():
        conn.execute("UPDATE items SET name = 'outer' WHERE id = 3100")
        try:
            with conn.transaction():  # a savepoint
                conn.execute("UPDATE items SET name = 'inner' WHERE id = 3101")
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
    names = conn.execute("SELECT id, name FROM items WHERE id IN (3100, 3101) "
                         "ORDER BY id").fetchall()
    assert names == [(3100, "outer"), (3101, "bulk1")], names


@step("errors")
def errors():
    try:
        conn.execute("INSERT INTO items (id, name) VALUES (3100, 'again')")
        raise AssertionError("duplicate key accepted")
    except psycopg.errors.UniqueViolation as error:
        assert error.sqlstate == "23505"
        assert "duplicate key value violates unique constraint" in str(error), str(error)
    try:
        conn.execute("SELECT 1/0")
    except psycopg.errors.DivisionByZero as error:
        assert error.sqlstate == "22012"
    assert conn.execute("SELECT 1").fetchone() == (1,)


@step("notices")
def notices():
    seen = []
    conn.add_notice_handler(lambda diag: seen.append(diag.message_primary))
    conn.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$")
    conn.execute("SELECT run_command_on_workers('SELECT 1')")
    assert "hello 42" in seen, seen


@step("typed_values")
def typed_values():
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    row = conn.execute("SELECT %s::timestamptz, %s::date, %s::uuid, %s::numeric, %s::bytea, "
                       "%s::interval", (when, datetime.date(2024, 2, 29), uuid.UUID(int=7),
                                        decimal.Decimal("1.25"), b"\x00\xff",
                                        datetime.timedelta(days=1, seconds=5))).fetchone()
    assert row[0] == when and row[1] == datetime.date(2024, 2, 29), row
    assert row[2] == uuid.UUID(int=7) and row[3] == decimal.Decimal("1.25"), row
    assert row[4] == b"\x00\xff" and row[5] == datetime.timedelta(days=1, seconds=5), row


steps.exit()
