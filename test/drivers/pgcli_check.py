"""pgcli (Debian's pgcli, on psycopg 3) against a Tessera coordinator: the catalog queries its
completion refresher sends at startup, and the backslash commands of pgspecial it runs.

Usage: /usr/bin/python3 pgcli_check.py HOST PORT
Expects `items` (distributed by id) and `kinds` (reference); creates `pgcli_lines` with a
foreign key to each and the view `pgcli_view`. Prints one line per step: "ok STEP" or
"FAIL STEP: error"; exits 1 when any step failed.
"""
import sys

from pgcli.pgexecute import PGExecute
from pgspecial.main import PGSpecial

from check_steps import Steps

executor = PGExecute(database="postgres", user="postgres", host=sys.argv[1],
                     port=int(sys.argv[2]))
special = PGSpecial()


steps = Steps(detail_lines=3)
step = steps.step


def run(sql):
    """Runs SQL or a backslash command as pgcli does; returns (rows, headers, status)."""
    results = []
    for title, cur, headers, status, _sql, success, _special in executor.run(sql, special):
        assert success, status
        results.append((list(cur) if cur is not None else None, headers, status))
    return results


@step("setup")
def setup():
    run("DROP VIEW IF EXISTS pgcli_view")
    run("DROP TABLE IF EXISTS pgcli_lines")
    run("CREATE TABLE pgcli_lines (item_id int REFERENCES items (id), line int,"
        " kind int REFERENCES kinds (k), PRIMARY KEY (item_id, line))")
    run("SELECT create_distributed_table('pgcli_lines', 'item_id', colocate_with => 'items')")
    run("CREATE VIEW pgcli_view AS SELECT id, name FROM items")


@step("search_path")
def search_path():
    path = executor.search_path()
    assert path[:2] == ["pg_catalog", "public"], path


@step("schemata")
def schemata():
    names = list(executor.schemata())
    assert "public" in names and "pg_catalog" in names, names


@step("tables")
def tables():
    names = set(executor.tables())
    assert {("public", "items"), ("public", "kinds"), ("public", "pgcli_lines")} <= names, names


@step("table_columns")
def table_columns():
    columns = [c for c in executor.table_columns() if c[:2] == ("public", "pgcli_lines")]
    assert [(c[2], c[3]) for c in columns] == [("item_id", "integer"), ("line", "integer"),
                                               ("kind", "integer")], columns


@step("views")
def views():
    assert ("public", "pgcli_view") in set(executor.views())
    columns = [c[2] for c in executor.view_columns() if c[:2] == ("public", "pgcli_view")]
    assert columns == ["id", "name"], columns


@step("foreignkeys")
def foreignkeys():
    keys = sorted(tuple(k)[:6] for k in executor.foreignkeys()
                  if tuple(k)[4] == "pgcli_lines")
    assert keys == [("public", "items", "id", "public", "pgcli_lines", "item_id"),
                    ("public", "kinds", "k", "public", "pgcli_lines", "kind")], keys


@step("functions")
def functions():
    names = {(f.schema_name, f.func_name) for f in executor.functions()}
    assert ("pg_catalog", "create_distributed_table") in names or \
        ("public", "create_distributed_table") in names, len(names)
    assert ("pg_catalog", "lower") in names, len(names)


@step("datatypes")
def datatypes():
    list(executor.datatypes())


@step("databases")
def databases():
    assert "postgres" in executor.databases()


@step("casing")
def casing():
    words = list(executor.casing())
    assert isinstance(words, list), words


@step("view_definition")
def view_definition():
    text = executor.view_definition("pgcli_view")
    assert "items" in text, text


@step("backslash_commands")
def backslash_commands():
    for command in ["\\dt", "\\d items", "\\d pgcli_lines", "\\dv", "\\di", "\\dn", "\\ds",
                    "\\df lower", "\\dT", "\\l", "\\du", "\\x", "\\x"]:
        try:
            run(command)
        except Exception as error:
            raise AssertionError("%s: %s" % (command, error)) from error
    rows = run("\\d pgcli_lines")[0][0]
    assert [r[0] for r in rows] == ["item_id", "line", "kind"], rows


@step("query")
def query():
    rows, headers, status = run("SELECT k, label FROM kinds WHERE k = 1")[0]
    assert rows == [(1, "a")] and headers == ["k", "label"] and status == "SELECT 1", \
        (rows, headers, status)


run("DROP VIEW IF EXISTS pgcli_view")
run("DROP TABLE IF EXISTS pgcli_lines")
executor.conn.close()
steps.exit()
