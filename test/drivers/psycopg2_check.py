"""psycopg2 (Debian's python3-psycopg2) against a Tessera coordinator.

Usage: /usr/bin/python3 psycopg2_check.py DSN
Expects `items` (distributed by id), `kinds` (reference) and `notes` (local, with the row
n = 1, note = 'first'). Prints one line per step: "ok STEP" or "FAIL STEP: error"; exits 1
when any step failed.
"""
import io
import sys
import traceback

import psycopg2
import psycopg2.extras

failures = 0


def step(name):
    def wrap(fn):
        global failures
        try:
            fn()
            print("ok " + name, flush=True)
        except Exception as error:  # report every step, keep going
            failures += 1
            detail = traceback.format_exc().strip().splitlines()[-1]
            print("FAIL %s: %s" % (name, detail), flush=True)
            conn.rollback()
            conn.autocommit = True
        return fn
    return wrap


conn = psycopg2.connect(sys.argv[1])
conn.autocommit = True


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


conn.close()
sys.exit(1 if failures else 0)
