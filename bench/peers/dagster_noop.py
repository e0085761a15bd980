"""The no-op daily-partitioned chain of bench/executor-overhead.ts (assets a -> b -> c), materialized
with Dagster: one `materialize` run per partition (what a Dagster backfill launches by default), on a
local SQLite instance in a temporary DAGSTER_HOME. Prints one JSON line: partitions, steps, seconds.
Usage: python dagster_noop.py <partitions> <dagster home>"""
import json
import sys
import time

start = time.perf_counter()
from dagster import AssetExecutionContext, DagsterInstance, DailyPartitionsDefinition, asset, materialize  # noqa: E402

daily = DailyPartitionsDefinition(start_date="2015-01-01")


@asset(partitions_def=daily, key_prefix="b")
def a(context: AssetExecutionContext) -> None:
    return None


@asset(partitions_def=daily, key_prefix="b", deps=[a])
def b(context: AssetExecutionContext) -> None:
    return None


@asset(partitions_def=daily, key_prefix="b", deps=[b])
def c(context: AssetExecutionContext) -> None:
    return None


def main() -> None:
    partitions = int(sys.argv[1])
    imported = time.perf_counter()
    keys = daily.get_partition_keys()[:partitions]
    with DagsterInstance.local_temp(tempdir=sys.argv[2]) as instance:
        t0 = time.perf_counter()
        for key in keys:
            result = materialize([a, b, c], partition_key=key, instance=instance, raise_on_error=True)
            assert result.success
        run_seconds = time.perf_counter() - t0
    print(json.dumps({"partitions": len(keys), "steps": 3 * len(keys), "importSeconds": imported - start, "runSeconds": run_seconds}))


main()
