# Row count and content checksum of relations of a DuckDB file, as one JSON line on stdout:
# {"engine": version, "relations": {"schema.name": {"rows", "checksum", "columns", "skipped"}}}.
# argv[1]: the file (opened read-only), argv[2]: a JSON list of relations.
# Both warehouses of bench/peers/peers-build.ts are read by this one engine, so equal data gives
# equal checksums whichever DuckDB wrote it. The checksum is the sum of a hash of each row's values
# as text (order-free, duplicates count): doubles rounded to 6 decimals (a parallel sum may differ
# in its last bits), and TIMESTAMP WITH TIME ZONE columns left out (`current_timestamp`: when the
# row was built, never the same in two builds).
import json
import sys

import duckdb

FLOATS = {"DOUBLE", "FLOAT", "REAL"}
SKIPPED = {"TIMESTAMP WITH TIME ZONE"}


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def main():
    con = duckdb.connect(sys.argv[1], read_only=True)
    out = {}
    for relation in json.loads(sys.argv[2]):
        schema, name = relation.split(".", 1)
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [schema, name],
        ).fetchall()
        if not columns:
            out[relation] = {"missing": True}
            continue
        values = []
        for column, data_type in columns:
            if data_type in SKIPPED:
                continue
            value = f"round({quote(column)}, 6)" if data_type in FLOATS else quote(column)
            values.append(f"CAST({value} AS VARCHAR)")
        rows, checksum = con.execute(
            f"SELECT count(*), CAST(coalesce(sum(hash([{', '.join(values)}])), 0) AS VARCHAR) FROM {quote(schema)}.{quote(name)}"
        ).fetchone()
        out[relation] = {
            "rows": rows,
            "checksum": checksum,
            "columns": len(columns),
            "skipped": [c for c, t in columns if t in SKIPPED],
        }
    con.close()
    print(json.dumps({"engine": duckdb.__version__, "relations": out}))


main()
