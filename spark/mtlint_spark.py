#!/usr/bin/env python3
"""mtlint as an Apache Spark job: the same rules and the same findings as
`mtlint check` on one machine, over JSON Lines or Parquet wherever Spark
reads them.

Each partition of the input is piped to the mtlint binary (shipped to the
executors with the job, see `--binary`, `--rules`, `--config`) in its
streaming mode. For JSON Lines the partitions are Hadoop splits of the
file, read with TextInputFormat (keys: byte offsets of lines); a first,
cheap pass counts the lines of each split, so that each subprocess is told
where its slice starts (`--stream-origin LINE:BYTE`) and reports the lines,
byte offsets and line-number record ids of the whole file. Findings are
parsed into a DataFrame with a fixed schema and written as Parquet and/or
CSV, with per-group aggregates (findings by rule and severity; documents,
words and scores when mtlint writes document facts) and per-partition
counts of malformed records and mtlint errors.

Reliability: a subprocess that dies (signal, panic, any exit other than
0, 1 or 2) raises, so Spark retries the task (`spark.task.maxFailures`);
output is written through Spark's commit protocol, so each finding appears
exactly once whatever the retries. `--kill-once PARTITION` kills the
subprocess of the first attempt of one partition, to test that.

Run `spark-submit spark/mtlint_spark.py --help`; see NOTES (Running on a
cluster) for command lines.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading

from pyspark import SparkFiles, StorageLevel, TaskContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The fields of `mtlint check --format jsonl`, in its order; `group` and
# `score` are there when mtlint groups documents (--group-by).
FINDING_FIELDS = [
    ("path", T.StringType()),
    ("record", T.StringType()),
    ("line", T.LongType()),
    ("column", T.LongType()),
    ("end_line", T.LongType()),
    ("end_column", T.LongType()),
    ("byte_start", T.LongType()),
    ("byte_end", T.LongType()),
    ("rule", T.StringType()),
    ("category", T.StringType()),
    ("severity", T.StringType()),
    ("message", T.StringType()),
    ("matched", T.StringType()),
    ("suggestion", T.StringType()),
    ("group", T.StringType()),
    ("score", T.DoubleType()),
]
FINDINGS = T.StructType([T.StructField(n, t, True) for n, t in FINDING_FIELDS])

# One row per partition (per attempt that finished): what went in and what
# mtlint said about it.
STATS = T.StructType(
    [
        T.StructField("path", T.StringType()),
        T.StructField("partition", T.LongType()),
        T.StructField("first_line", T.LongType()),
        T.StructField("first_byte", T.LongType()),
        T.StructField("lines", T.LongType()),
        T.StructField("findings", T.LongType()),
        T.StructField("malformed_records", T.LongType()),
        T.StructField("mtlint_errors", T.LongType()),
        T.StructField("exit_code", T.LongType()),
    ]
)

# Exit codes of a run that finished: clean, findings, errors in the input
# (malformed records: reported, counted, not retried).
FINISHED = {0, 1, 2}


class MtlintFailed(RuntimeError):
    """The subprocess did not finish its run: the task fails and is retried."""


def local_file(name):
    """A file shipped with the job (`SparkContext.addFile`), or a local path."""
    if name is None:
        return None
    if os.path.exists(name):
        return os.path.abspath(name)
    return SparkFiles.get(os.path.basename(name))


def command(settings, path, origin):
    """The mtlint command line for a slice of `path` starting at `origin`."""
    binary = local_file(settings["binary"])
    if not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    cmd = [binary, "check", "--format", "jsonl", "--input-format", "jsonl",
           "--stdin-filename", path, "--exit-zero", "--quiet"]
    if origin is not None:
        cmd += ["--stream-origin", "%d:%d" % origin]
    if settings.get("config"):
        cmd += ["--config", local_file(settings["config"])]
    else:
        cmd += ["--isolated"]
    for rules in settings.get("rules") or []:
        cmd += ["--rules", local_file(rules)]
    cmd += settings.get("args") or []
    cmd.append("-")
    return cmd


def run_mtlint(cmd, lines, kill_after=None):
    """Runs `cmd` with `lines` (bytes, line breaks included) on standard
    input: its standard output lines, standard error text and exit code.
    `kill_after` kills it after that many input lines (the retry test)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    err_chunks = []
    fed = {"lines": 0}

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line)
                fed["lines"] += 1
                if kill_after is not None and fed["lines"] >= kill_after:
                    proc.send_signal(signal.SIGKILL)
                    break
        except BrokenPipeError:
            pass
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    def drain_err():
        err_chunks.append(proc.stderr.read())

    writer = threading.Thread(target=feed, daemon=True)
    reader = threading.Thread(target=drain_err, daemon=True)
    writer.start()
    reader.start()
    out = proc.stdout.readlines()
    proc.wait()
    writer.join()
    reader.join()
    return out, b"".join(err_chunks).decode("utf-8", "replace"), proc.returncode, fed["lines"]


def stderr_counts(err):
    """Malformed records and other errors in mtlint's standard error."""
    malformed = errors = 0
    for line in err.splitlines():
        if not line.startswith("mtlint: error:"):
            continue
        errors += 1
        if ": malformed JSON" in line or "fields where the header has" in line:
            malformed += 1
    return malformed, errors


def finding_row(obj):
    return tuple(obj.get(name) for name, _ in FINDING_FIELDS)


def jsonl_partitions(settings, path, origins):
    """The function each partition of the JSON Lines file `path` runs: lines
    (byte offset, text) in, tagged findings and one stats row out."""

    def run(index, pairs):
        origin = origins.get(index)
        if origin is None:
            return
        first_line, first_byte = origin
        count = {"n": 0}

        def lines():
            # The bytes between lines are the file's own (\n or \r\n): the
            # next line's offset tells, so offsets stay the file's.
            prev = None
            for key, text in pairs:
                if prev is not None:
                    pkey, ptext = prev
                    sep = key - pkey - len(ptext)
                    yield ptext + (b"\r\n" if sep == 2 else b"\n")
                prev = (key, text.encode("utf-8"))
                count["n"] += 1
            if prev is not None:
                yield prev[1] + b"\n"

        ctx = TaskContext.get()
        kill = settings.get("kill_once")
        kill_after = 5 if (kill == index and ctx is not None and ctx.attemptNumber() == 0) else None
        cmd = command(settings, path, (first_line, first_byte))
        out, err, code, _ = run_mtlint(cmd, lines(), kill_after)
        if code not in FINISHED:
            raise MtlintFailed(
                "mtlint on %s (partition %d, from line %d) exited with %s: %s"
                % (path, index, first_line, code, err.strip()[-2000:]))
        malformed, errors = stderr_counts(err)
        for raw in out:
            yield ("f", finding_row(json.loads(raw)))
        yield ("s", (path, index, first_line, first_byte, count["n"], len(out),
                     malformed, errors, code))

    return run


def parquet_partitions(settings, path):
    """Like `jsonl_partitions`, for rows of a Parquet file made JSON Lines:
    records are named by their id (`--id-field`), lines are the slice's."""

    def run(index, rows):
        count = {"n": 0}

        def lines():
            for row in rows:
                count["n"] += 1
                yield row.encode("utf-8") + b"\n"

        cmd = command(settings, path, None)
        out, err, code, _ = run_mtlint(cmd, lines())
        if code not in FINISHED:
            raise MtlintFailed("mtlint on %s (partition %d) exited with %s: %s"
                               % (path, index, code, err.strip()[-2000:]))
        malformed, errors = stderr_counts(err)
        for raw in out:
            yield ("f", finding_row(json.loads(raw)))
        yield ("s", (path, index, 0, 0, count["n"], len(out), malformed, errors, code))

    return run


def jsonl_rdd(sc, settings, path, min_partitions):
    lines = sc.newAPIHadoopFile(
        path,
        "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
        "org.apache.hadoop.io.LongWritable",
        "org.apache.hadoop.io.Text",
        conf={"mapreduce.input.fileinputformat.split.maxsize": str(settings["split_bytes"])},
    )
    # Pass 1: lines and first offset of each split, for each slice's origin.
    counts = lines.mapPartitionsWithIndex(
        lambda i, it: [(i, *count_lines(it))]).collect()
    origins = {}
    line = 1
    for index, n, first in sorted(counts):
        if n:
            origins[index] = (line, first)
        line += n
    return lines.mapPartitionsWithIndex(jsonl_partitions(settings, path, origins))


def count_lines(pairs):
    n = 0
    first = None
    for key, _ in pairs:
        if first is None:
            first = key
        n += 1
    return n, first


def aggregates(findings):
    """Per-group counts computed in Spark: findings by rule, by category and
    by severity, per group and overall."""
    by_group_rule = findings.groupBy("group", "rule").count()
    by_group = findings.groupBy("group").agg(
        F.count(F.lit(1)).alias("findings"),
        F.sum(F.when(F.col("severity") == "error", 1).otherwise(0)).alias("errors"),
        F.sum(F.when(F.col("severity") == "warning", 1).otherwise(0)).alias("warnings"),
        F.sum(F.when(F.col("severity") == "info", 1).otherwise(0)).alias("infos"),
    )
    by_rule = findings.groupBy("rule").count()
    by_category = findings.groupBy("category").count()
    return {"by_group_rule": by_group_rule, "by_group": by_group,
            "by_rule": by_rule, "by_category": by_category}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", action="append", required=True,
                    help="a JSON Lines (.jsonl) or Parquet (.parquet) file; any Hadoop URI; repeatable")
    ap.add_argument("--output", required=True, help="folder for the results")
    ap.add_argument("--write", default="parquet,csv", help="parquet, csv or both (default)")
    ap.add_argument("--binary", default="mtlint",
                    help="the mtlint binary (a local path, or the name of a file shipped with --files)")
    ap.add_argument("--config", help="mtlint.toml to use (shipped with --files); default: none (--isolated)")
    ap.add_argument("--rules", action="append", help="extra rule folder or file (shipped); repeatable")
    ap.add_argument("--split-bytes", type=int, default=32 << 20,
                    help="largest JSON Lines split, in bytes (default 32 MiB)")
    ap.add_argument("--kill-once", type=int,
                    help="kill the subprocess of the first attempt of this partition (retry test)")
    ap.add_argument("mtlint_args", nargs="*",
                    help="more `mtlint check` arguments, after --: --id-field id --group-by field:source")
    args = ap.parse_args(argv)

    spark = SparkSession.builder.appName("mtlint").getOrCreate()
    sc = spark.sparkContext
    for shipped in [args.binary, args.config] + (args.rules or []):
        if shipped and os.path.exists(shipped):
            sc.addFile(os.path.abspath(shipped), recursive=os.path.isdir(shipped))
    settings = {
        "binary": args.binary,
        "config": args.config,
        "rules": args.rules,
        "args": args.mtlint_args,
        "split_bytes": args.split_bytes,
        "kill_once": args.kill_once,
    }
    parts = []
    for path in args.input:
        if path.endswith(".parquet") or os.path.isdir(path) and path.rstrip("/").endswith(".parquet"):
            rows = spark.read.parquet(path).toJSON()
            parts.append(rows.mapPartitionsWithIndex(parquet_partitions(settings, path)))
        else:
            parts.append(jsonl_rdd(sc, settings, path, 2))
    tagged = sc.union(parts).persist(StorageLevel.MEMORY_AND_DISK)
    findings = spark.createDataFrame(tagged.filter(lambda t: t[0] == "f").map(lambda t: t[1]), FINDINGS)
    stats = spark.createDataFrame(tagged.filter(lambda t: t[0] == "s").map(lambda t: t[1]), STATS)
    out = args.output.rstrip("/")
    kinds = [k.strip() for k in args.write.split(",") if k.strip()]
    for kind in kinds:
        writer = findings.write.mode("overwrite")
        if kind == "parquet":
            writer.parquet(out + "/findings.parquet")
        elif kind == "csv":
            writer.option("header", True).option("escape", '"').csv(out + "/findings.csv")
        else:
            raise SystemExit("--write: parquet or csv, not %r" % kind)
    stats.coalesce(1).write.mode("overwrite").json(out + "/partitions.json")
    for name, df in aggregates(findings).items():
        df.coalesce(1).write.mode("overwrite").json("%s/aggregates/%s.json" % (out, name))
    totals = stats.agg(F.sum("lines"), F.sum("findings"), F.sum("malformed_records"),
                       F.sum("mtlint_errors")).collect()[0]
    print("mtlint-spark: %d lines, %d findings, %d malformed records, %d mtlint errors"
          % tuple(int(x or 0) for x in totals), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
