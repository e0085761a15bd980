"""What Superset does to a warehouse (SQLAlchemy + psycopg2), for the tests.

It reads the catalog through SQLAlchemy's inspector, runs queries on a raw DB-API cursor as
Superset's SQL Lab does, tries writes, and can run one query in a loop until a line (or EOF)
arrives on stdin. Every result is one JSON line on stdout, the same contract as JdbcProbe.java; a
failing statement is reported with its SQLSTATE, never raised. Exit 0, or 1 when it cannot
connect, 2 for bad arguments.

Arguments: --url postgresql+psycopg2://user@host:port/db [--schema S] [--query SQL]...
[--write SQL]... [--loop SQL [--every-ms N] [--max-ms N]]. The password, if any, comes from the
GMP_BI_PASSWORD environment variable, so it is never on a command line.
"""

import argparse
import decimal
import json
import math
import os
import sys
import threading
import time

import psycopg2
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def emit(line):
    print(json.dumps(line, ensure_ascii=False, allow_nan=False), flush=True)


def error_of(exc):
    """SQLSTATE and message of a failed statement: psycopg2's error, under SQLAlchemy's wrapper if any."""
    orig = getattr(exc, "orig", None) or exc
    return {"sqlState": getattr(orig, "pgcode", None), "message": str(orig).strip()}


def value_of(value):
    """A cell as JSON: numbers as numbers (NaN and infinities as Java writes them), json/jsonb as JSON text."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return value if math.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def metadata(engine, schema):
    tables = []
    try:
        inspector = inspect(engine)
        kinds = [
            ("TABLE", inspector.get_table_names),
            ("VIEW", inspector.get_view_names),
            ("MATERIALIZED VIEW", inspector.get_materialized_view_names),
        ]
        for kind, names in kinds:
            for name in names(schema=schema):
                columns = [
                    {"name": c["name"], "type": str(c["type"]), "nullable": bool(c["nullable"])}
                    for c in inspector.get_columns(name, schema=schema)
                ]
                tables.append({"name": name, "type": kind, "columns": columns})
        tables.sort(key=lambda t: t["name"])
        return {"kind": "metadata", "schema": schema, "tables": tables}
    except SQLAlchemyError as exc:
        return {"kind": "metadata", "schema": schema, "error": error_of(exc)}


def query(engine, sql):
    """Runs sql on a raw DB-API cursor, without parameters, as SQL Lab does (so % needs no escape)."""
    start = time.perf_counter()
    try:
        with engine.connect() as conn:
            cursor = conn.connection.cursor()
            try:
                cursor.execute(sql)
                columns = [d[0] for d in cursor.description or []]
                rows = [[value_of(v) for v in row] for row in cursor.fetchall()] if cursor.description else []
            finally:
                cursor.close()
        return {"kind": "query", "sql": sql, "columns": columns, "rows": rows, "ms": elapsed_ms(start)}
    except (SQLAlchemyError, psycopg2.Error) as exc:  # the raw cursor raises psycopg2's own errors
        return {"kind": "query", "sql": sql, "ms": elapsed_ms(start), "error": error_of(exc)}


def write(engine, sql):
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql(sql)
            return {"kind": "write", "sql": sql, "refused": False, "updateCount": result.rowcount}
    except SQLAlchemyError as exc:
        return {"kind": "write", "sql": sql, "refused": True, "error": error_of(exc)}


def loop(engine, sql, every_ms, max_ms):
    """Runs sql every every_ms until stdin has a line or ends, or max_ms has passed."""
    stop = threading.Event()

    def wait_for_stdin():
        sys.stdin.readline()
        stop.set()

    threading.Thread(target=wait_for_stdin, daemon=True).start()
    deadline = time.monotonic() + max_ms / 1000
    runs = failed = 0
    ended = "stdin"
    while not stop.is_set():
        if time.monotonic() > deadline:
            ended = "max-ms"
            break
        result = query(engine, sql)
        runs += 1
        run = {"kind": "loop-run", "n": runs, "ms": result["ms"]}
        if "error" in result:
            failed += 1
            run["error"] = result["error"]
        else:
            run["rowCount"] = len(result["rows"])
            run["firstRow"] = result["rows"][0] if result["rows"] else None
        emit(run)
        if every_ms > 0:
            stop.wait(every_ms / 1000)
    emit({"kind": "loop-end", "sql": sql, "runs": runs, "failed": failed, "ended": ended})


def elapsed_ms(start):
    return round((time.perf_counter() - start) * 1000, 2)


def main(argv):
    parser = Parser(add_help=False)
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema")
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--write", action="append", default=[])
    parser.add_argument("--loop")
    parser.add_argument("--every-ms", type=int, default=0)
    parser.add_argument("--max-ms", type=int, default=60_000)
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        emit({"kind": "usage", "error": {"sqlState": None, "message": str(exc)}})
        return 2

    url = make_url(args.url)
    password = os.environ.get("GMP_BI_PASSWORD")
    if password is not None:
        url = url.set(password=password)
    # Autocommit, as a BI pool's checkouts are in effect: every statement sees the latest committed
    # marts, and no idle transaction holds a lock a rebuild's swap would wait for.
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0,
                           connect_args={"application_name": "gmp-bi-probe (sqlalchemy)"})
    try:
        engine.connect().close()
    except SQLAlchemyError as exc:
        emit({"kind": "connect", "error": error_of(exc)})
        return 1
    try:
        if args.schema is not None:
            emit(metadata(engine, args.schema))
        for sql in args.query:
            emit(query(engine, sql))
        for sql in args.write:
            emit(write(engine, sql))
        if args.loop is not None:
            loop(engine, args.loop, args.every_ms, args.max_ms)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
