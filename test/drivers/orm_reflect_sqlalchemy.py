"""Reflects a database's public schema with SQLAlchemy's PostgreSQL dialect (psycopg2) and
prints what it found as JSON, so two servers' answers can be compared.
Usage: python3 orm_reflect_sqlalchemy.py postgresql+psycopg2://user@host:port/db"""
import json
import sys

import warnings

from sqlalchemy import create_engine, inspect


def plain(value):
    """Turns reflected values (types, server defaults) into JSON-comparable text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value) if hasattr(value, "__visit_name__") else str(value)


def attempt(fn, *args):
    """Calls one reflection method; a failure becomes its error text, so one run shows all."""
    try:
        return fn(*args)
    except Exception as err:  # pylint: disable=broad-except
        return {"error": type(err).__name__ + ": " + str(err).splitlines()[0]}


def by_name(items):
    return sorted(items, key=lambda i: i["name"]) if isinstance(items, list) else items


def reflect(url):
    engine = create_engine(url)
    insp = inspect(engine)
    out = {
        "tables": sorted(insp.get_table_names()),
        "views": sorted(insp.get_view_names()),
        "sequences": sorted(insp.get_sequence_names()),
        "enums": plain(insp.get_enums()),
    }
    if hasattr(insp, "get_materialized_view_names"):
        out["matviews"] = sorted(insp.get_materialized_view_names())
    else:
        out["matviews"] = sorted(insp.get_view_names(include=("materialized",)))
    for name in out["views"]:
        out["viewdef:" + name] = attempt(insp.get_view_definition, name)
    for table in out["tables"] + out["views"] + out["matviews"]:
        out["columns:" + table] = plain(attempt(insp.get_columns, table))
    for table in out["tables"]:
        out["pk:" + table] = plain(attempt(insp.get_pk_constraint, table))
        out["fks:" + table] = plain(attempt(insp.get_foreign_keys, table))
        out["indexes:" + table] = plain(by_name(attempt(insp.get_indexes, table)))
        out["uniques:" + table] = plain(by_name(attempt(insp.get_unique_constraints, table)))
        out["checks:" + table] = plain(by_name(attempt(insp.get_check_constraints, table)))
        out["comment:" + table] = plain(attempt(insp.get_table_comment, table))
    engine.dispose()
    return out


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    json.dump(reflect(sys.argv[1]), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
