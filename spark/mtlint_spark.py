#!/usr/bin/env python3
"""mtlint as an Apache Spark job: the same rules and the same findings as
`mtlint check` on one machine, over JSON Lines or Parquet wherever Spark
reads them, and the same audit figures as its summary.

Each partition of the input is piped to the mtlint binary (shipped to the
executors with the job, see `--binary`, `--rules`, `--config`) in its
streaming mode, with `--format jsonl --jsonl-documents`: a line per finding
and a line per document checked. A JSON Lines file is read by Spark's text
source, split at `--split-bytes`, one line per row with its line break
kept apart (so a CRLF file's bytes are the file's); a first pass, in the
JVM only, counts the lines and bytes of each split, so that each
subprocess is told where its slice starts (`--stream-origin LINE:BYTE`)
and reports the lines, byte offsets and line-number record ids of the
whole file. Lines go to the subprocess and its output comes back as Arrow
batches of bytes (`mapInArrow`): Python neither decodes the input nor
parses the output; Spark's JSON reader (`from_json`) does, into one
DataFrame with a fixed schema, cached, from which everything is written:
findings (Parquet and/or CSV), documents (Parquet), per-partition counts of
malformed records and mtlint errors, and the per-group aggregates of the
audit (documents, words, findings per severity, density, score, documents
with an error; by rule, category and day) computed in Spark with the score
weights mtlint reports.

Reliability: a subprocess that dies (signal, panic, any exit other than
0, 1 or 2) raises, so Spark retries the task (`spark.task.maxFailures`);
the failed attempt's rows are dropped with it and output is written
through Spark's commit protocol, so each finding appears exactly once
whatever the retries. `--kill-once PARTITION` kills the subprocess of the
first attempt of one partition, to test that.

Run `spark-submit spark/mtlint_spark.py --help`; see the README (Running on
a cluster) for command lines and the schema of what is written.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

from pyspark import SparkFiles, StorageLevel, TaskContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The fields of `mtlint check --format jsonl`, in its order; `group` and
# `score` are those of the finding's document (`--group-by`).
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
    ("language", T.StringType()),
]

# A document line of `--jsonl-documents` (`"kind": "document"`).
DOCUMENT_FIELDS = [
    ("path", T.StringType()),
    ("record", T.StringType()),
    ("group", T.StringType()),
    ("day", T.StringType()),
    ("words", T.LongType()),
    ("findings", T.LongType()),
    ("errors", T.LongType()),
    ("warnings", T.LongType()),
    ("infos", T.LongType()),
    ("score", T.DoubleType()),
]

# One row per partition (per attempt that finished), written by this job
# (`"kind": "partition"`): what went in and what mtlint said about it.
PARTITION_FIELDS = [
    ("path", T.StringType()),
    ("partition", T.LongType()),
    ("first_line", T.LongType()),
    ("first_byte", T.LongType()),
    ("lines", T.LongType()),
    ("findings", T.LongType()),
    ("documents", T.LongType()),
    ("malformed_records", T.LongType()),
    ("mtlint_errors", T.LongType()),
    ("exit_code", T.LongType()),
    ("seconds", T.DoubleType()),
]

# The audit line of `--jsonl-documents` (`"kind": "audit"`).
AUDIT_FIELDS = [
    ("group_by", T.StringType()),
    ("weights", T.StructType([
        T.StructField("error", T.DoubleType()),
        T.StructField("warning", T.DoubleType()),
        T.StructField("info", T.DoubleType()),
        T.StructField("min_words", T.LongType()),
    ])),
]


def union_schema():
    """Every line the subprocesses and the job write, as one struct: a
    field absent from a line is null; `kind` is null for a finding."""
    fields = {"kind": T.StringType()}
    for name, kind in FINDING_FIELDS + DOCUMENT_FIELDS + PARTITION_FIELDS + AUDIT_FIELDS:
        if fields.setdefault(name, kind) != kind:
            raise AssertionError("field %s has two types" % name)
    return T.StructType([T.StructField(n, t, True) for n, t in fields.items()])


LINES = union_schema()

# Exit codes of a run that finished: clean, findings, errors in the input
# (malformed records: reported, counted, not retried).
FINISHED = {0, 1, 2}

# Output lines per Arrow batch sent back to the JVM.
BATCH_LINES = 8192


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
    cmd = [binary, "check", "--format", "jsonl", "--jsonl-documents", "--input-format", "jsonl",
           "--stdin-filename", path, "--exit-zero", "--quiet"]
    if origin is not None:
        cmd += ["--stream-origin", "%d:%d" % origin]
    if settings.get("config"):
        cmd += ["--config", local_file(settings["config"])]
    else:
        cmd += ["--isolated"]
    for rules in settings.get("rules") or []:
        cmd += ["--rules", local_file(rules)]
    args = settings.get("args") or []
    if settings.get("jobs") and not any(a in ("-j", "--jobs") or a.startswith("--jobs=")
                                        for a in args):
        cmd += ["-j", str(settings["jobs"])]
    cmd += args
    cmd.append("-")
    return cmd


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


def slices(settings, path, origins):
    """The function each partition runs under `mapInArrow`: Arrow batches
    of lines (`value`, bytes without the line break; `start`, the split's
    first byte) in, batches of JSON lines (`line`, bytes) out — mtlint's
    findings and documents, then one partition line. `origins` maps a
    split's start to the (line, byte) its first line is at in the file;
    `None` for rows that are not lines of a file (Parquet)."""

    def run(batches):
        import pyarrow as pa

        ctx = TaskContext.get()
        index = ctx.partitionId() if ctx is not None else -1
        batches = iter(batches)
        first = next((b for b in batches if b.num_rows), None)
        if first is None:
            return
        origin = None
        if origins is not None:
            start = first.column(1)[0].as_py()
            origin = origins.get(start)
            if origin is None:
                raise MtlintFailed("%s: no line count for the split at byte %d" % (path, start))
        kill = settings.get("kill_once")
        kill_after = 5 if (kill == index and ctx is not None and ctx.attemptNumber() == 0) else None
        began = time.monotonic()
        proc = subprocess.Popen(command(settings, path, origin), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        fed = {"lines": 0, "error": None}
        err_chunks = []

        def feed():
            try:
                for batch in _chain(first, batches):
                    if origins is not None and set(batch.column(1).unique().to_pylist()) != {start}:
                        raise MtlintFailed("%s: a partition holds more than one split" % path)
                    values = batch.column(0).to_pylist()
                    if kill_after is not None and fed["lines"] + len(values) >= kill_after:
                        values = values[:max(kill_after - fed["lines"], 0)]
                        proc.stdin.write(b"\n".join(values) + b"\n")
                        proc.stdin.flush()
                        fed["lines"] += len(values)
                        proc.send_signal(signal.SIGKILL)
                        return
                    proc.stdin.write(b"\n".join(values) + b"\n")
                    fed["lines"] += len(values)
            except BrokenPipeError:
                pass
            except BaseException as e:  # re-raised by the task below
                fed["error"] = e
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
        counts = {"findings": 0, "documents": 0}
        pending = []
        for line in proc.stdout:
            if line.startswith(b'{"kind":"document"'):
                counts["documents"] += 1
            elif not line.startswith(b'{"kind"'):
                counts["findings"] += 1
            pending.append(line.rstrip(b"\n"))
            if len(pending) >= BATCH_LINES:
                yield pa.RecordBatch.from_arrays([pa.array(pending, pa.binary())], ["line"])
                pending = []
        code = proc.wait()
        writer.join()
        reader.join()
        err = b"".join(err_chunks).decode("utf-8", "replace")
        if fed["error"] is not None:
            raise fed["error"]
        if code not in FINISHED:
            raise MtlintFailed(
                "mtlint on %s (partition %d, from line %s) exited with %s: %s"
                % (path, index, origin[0] if origin else "-", code, err.strip()[-2000:]))
        malformed, errors = stderr_counts(err)
        stats = {"kind": "partition", "path": path, "partition": index,
                 "first_line": origin[0] if origin else 0, "first_byte": origin[1] if origin else 0,
                 "lines": fed["lines"], "findings": counts["findings"],
                 "documents": counts["documents"], "malformed_records": malformed,
                 "mtlint_errors": errors, "exit_code": code,
                 "seconds": round(time.monotonic() - began, 3)}
        pending.append(json.dumps(stats).encode("utf-8"))
        yield pa.RecordBatch.from_arrays([pa.array(pending, pa.binary())], ["line"])

    return run


def _chain(first, rest):
    yield first
    yield from rest


def jsonl_lines(spark, path):
    """The lines of the JSON Lines file `path`, split by `\\n` only (a CR
    before it stays in the line), as bytes, with the start of their split."""
    text = spark.read.option("lineSep", "\n").text(path)
    return text.select(F.col("value").cast("binary").alias("value"),
                       F.input_file_block_start().alias("start"))


def origins_of(jsonl):
    """For each input of `jsonl` (index -> the rows of `jsonl_lines`), the
    (line, byte) the first line of each split is at, by split start:
    lines and bytes of each split are counted in the JVM (no Python), in
    one job for all inputs."""
    counted = None
    for i, rows in jsonl.items():
        c = (rows.groupBy("start")
             .agg(F.count(F.lit(1)).alias("n"), F.sum(F.octet_length("value") + 1).alias("bytes"))
             .withColumn("input", F.lit(i)))
        counted = c if counted is None else counted.unionByName(c)
    origins = {i: {} for i in jsonl}
    if counted is None:
        return origins
    splits = sorted((r["input"], r["start"], r["n"], r["bytes"]) for r in counted.collect())
    at = {}
    for i, start, n, size in splits:
        line, byte = at.get(i, (1, 0))
        origins[i][start] = (line, byte)
        at[i] = (line + n, byte + size)
    return origins


def parquet_rows(spark, path):
    """The rows of the Parquet input `path` as JSON lines (bytes)."""
    rows = spark.read.parquet(path)
    return rows.select(F.to_json(F.struct(*rows.columns)).cast("binary").alias("value"),
                       F.lit(0).cast("long").alias("start"))


def weights_of(lines):
    """The group-by and score weights every subprocess reported (one set)."""
    audit = lines.filter(F.col("kind") == "audit").select(
        "group_by", "weights.error", "weights.warning", "weights.info", "weights.min_words"
    ).distinct().collect()
    if len(audit) > 1:
        raise SystemExit("mtlint-spark: the partitions were scored differently: %r" % audit)
    if not audit:
        return None
    return audit[0].asDict()


def group_totals(documents, keys, w):
    """Totals of `documents` per `keys`, as the summary's groups table has
    them: documents, words, findings per severity, documents with an
    error, density (findings per 1,000 words) and score (weighted findings
    per 1,000 words of at least `min_words`), computed with mtlint's order
    of operations so that the figures are the same doubles."""
    t = documents.groupBy(*keys).agg(
        F.count(F.lit(1)).alias("documents"),
        F.sum("words").alias("words"),
        F.sum("findings").alias("findings"),
        F.sum("errors").alias("errors"),
        F.sum("warnings").alias("warnings"),
        F.sum("infos").alias("infos"),
        F.sum(F.when(F.col("errors") > 0, 1).otherwise(0)).alias("documents_with_errors"),
    )
    weighted = (F.col("infos") * F.lit(w["info"]) + F.col("warnings") * F.lit(w["warning"])
                + F.col("errors") * F.lit(w["error"]))
    floor = F.greatest(F.col("words"), F.lit(w["min_words"]), F.lit(1)).cast("double")
    return (t
            .withColumn("density", F.when(F.col("words") > 0,
                                          F.col("findings") * F.lit(1000.0) / F.col("words")))
            .withColumn("score", weighted * F.lit(1000.0) / floor)
            .withColumn("error_share", F.col("documents_with_errors") / F.col("documents")))


def aggregates(findings, documents, w):
    """The audit's aggregates, computed in Spark: per group (and overall,
    and per group and day) from the documents; findings per rule and
    category, overall and per group, from the findings."""
    return {
        "by_group": group_totals(documents, ["group"], w),
        "totals": group_totals(documents.withColumn("all", F.lit("all")), ["all"], w).drop("all"),
        "by_group_day": group_totals(documents.filter(F.col("day").isNotNull()), ["group", "day"], w),
        "by_group_rule": findings.groupBy("group", "rule").count(),
        "by_group_category": findings.groupBy("group", "category").count(),
        "by_rule": findings.groupBy("rule").count(),
        "by_category": findings.groupBy("category").count(),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", action="append", required=True,
                    help="a JSON Lines (.jsonl) or Parquet (.parquet) file; any Hadoop URI; repeatable")
    ap.add_argument("--output", required=True, help="folder for the results")
    ap.add_argument("--write", default="parquet,csv",
                    help="the findings as parquet, csv or both (default); documents and aggregates always")
    ap.add_argument("--binary", default="mtlint",
                    help="the mtlint binary (a local path, or the name of a file shipped with --files)")
    ap.add_argument("--config", help="mtlint.toml to use (shipped with --files); default: none (--isolated)")
    ap.add_argument("--rules", action="append", help="extra rule folder or file (shipped); repeatable")
    ap.add_argument("--split-bytes", type=int, default=64 << 20,
                    help="largest JSON Lines split, in bytes (default 64 MiB)")
    ap.add_argument("--jobs", type=int,
                    help="threads of each mtlint subprocess (default: spark.task.cpus, 1 unless set)")
    ap.add_argument("--kill-once", type=int,
                    help="kill the subprocess of the first attempt of this partition (retry test)")
    ap.add_argument("mtlint_args", nargs="*",
                    help="more `mtlint check` arguments, after --: --id-field id --group-by field:source")
    args = ap.parse_args(argv)

    began = time.monotonic()
    spark = SparkSession.builder.appName("mtlint").getOrCreate()
    sc = spark.sparkContext
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(args.split_bytes))
    for shipped in [args.binary, args.config] + (args.rules or []):
        if shipped and os.path.exists(shipped):
            sc.addFile(os.path.abspath(shipped), recursive=os.path.isdir(shipped))
    settings = {
        "binary": args.binary,
        "config": args.config,
        "rules": args.rules,
        "args": args.mtlint_args,
        "jobs": args.jobs or int(sc.getConf().get("spark.task.cpus", "1")),
        "kill_once": args.kill_once,
    }
    timings = {"start": time.monotonic() - began}
    inputs = [(path, path.rstrip("/").endswith(".parquet")) for path in args.input]
    jsonl = {i: jsonl_lines(spark, path) for i, (path, parquet) in enumerate(inputs) if not parquet}
    origins = origins_of(jsonl)
    parts = []
    for i, (path, parquet) in enumerate(inputs):
        if parquet:
            rows, slice_origins = parquet_rows(spark, path), None
        else:
            rows, slice_origins = jsonl[i], origins[i]
        parts.append(rows.mapInArrow(slices(settings, path, slice_origins), "line binary"))
    timings["count"] = time.monotonic() - began - sum(timings.values())
    raw = parts[0]
    for p in parts[1:]:
        raw = raw.unionAll(p)
    lines = (raw.select(F.from_json(F.col("line").cast("string"), LINES).alias("l"))
             .select("l.*").persist(StorageLevel.MEMORY_AND_DISK))
    # A line the JSON reader could not read is all nulls: not a finding.
    findings = (lines.filter(F.col("kind").isNull() & F.col("rule").isNotNull())
                .select(*[n for n, _ in FINDING_FIELDS]))
    documents = lines.filter(F.col("kind") == "document").select(*[n for n, _ in DOCUMENT_FIELDS])
    stats = lines.filter(F.col("kind") == "partition").select(*[n for n, _ in PARTITION_FIELDS])

    out = args.output.rstrip("/")
    kinds = [k.strip() for k in args.write.split(",") if k.strip()]
    for kind in kinds:
        if kind not in ("parquet", "csv"):
            raise SystemExit("--write: parquet or csv, not %r" % kind)
    # The first write runs mtlint over every partition and fills the cache.
    for kind in kinds:
        writer = findings.write.mode("overwrite")
        if kind == "parquet":
            writer.parquet(out + "/findings.parquet")
        else:
            writer.option("header", True).option("escape", '"').csv(out + "/findings.csv")
        timings.setdefault("mtlint", time.monotonic() - began - sum(timings.values()))
    documents.write.mode("overwrite").parquet(out + "/documents.parquet")
    stats.coalesce(1).write.mode("overwrite").json(out + "/partitions.json")
    timings["write"] = time.monotonic() - began - sum(timings.values())
    w = weights_of(lines)
    if w is None:
        print("mtlint-spark: no document was checked; no aggregates", flush=True)
    else:
        for name, df in aggregates(findings, documents, w).items():
            df.coalesce(1).write.mode("overwrite").json("%s/aggregates/%s.json" % (out, name))
    timings["aggregates"] = time.monotonic() - began - sum(timings.values())
    totals = stats.agg(F.sum("lines"), F.sum("findings"), F.sum("documents"),
                       F.sum("malformed_records"), F.sum("mtlint_errors"),
                       F.sum("seconds")).collect()[0]
    print("mtlint-spark: %d lines, %d findings, %d documents, %d malformed records, "
          "%d mtlint errors; %.1fs in mtlint subprocesses" % (
              *(int(x or 0) for x in totals[:5]), float(totals[5] or 0)), flush=True)
    print("mtlint-spark: seconds: " + ", ".join("%s %.1f" % kv for kv in timings.items()),
          flush=True)
    lines.unpersist()
    spark.stop()


if __name__ == "__main__":
    main()
