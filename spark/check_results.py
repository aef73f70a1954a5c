#!/usr/bin/env python3
"""Compares the Spark job's results with `mtlint check` on one machine:
the findings (sorted) must be identical, field by field, each exactly once;
the aggregates must equal what the single-machine report says (its
findings by rule and category in `--format summary`, and per group the
counts of its jsonl rows); and the artifacts the corpus generator put in
known places must be found. Exits 1 with the differences otherwise.

Usage: check_results.py SPARK_OUTPUT SINGLE.jsonl SUMMARY.txt MANIFEST.json
"""

import collections
import glob
import json
import sys

from pyspark.sql import SparkSession

FIELDS = ["path", "record", "line", "column", "end_line", "end_column", "byte_start",
          "byte_end", "rule", "category", "severity", "message", "matched", "suggestion",
          "group", "score"]


def key(obj):
    return tuple(obj.get(f) for f in FIELDS)


def summary_table(text, title):
    """The `  count  name` rows under `title` in a summary report."""
    rows = {}
    lines = text.splitlines()
    if title not in lines:
        return rows
    for line in lines[lines.index(title) + 1:]:
        if not line.strip():
            break
        count, name = line.split(None, 1)
        rows[name] = int(count)
    return rows


def read_json_dir(path):
    out = []
    for part in sorted(glob.glob(path + "/part-*")):
        with open(part, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out


def main():
    out_dir, single_path, summary_path, manifest_path = sys.argv[1:5]
    problems = []
    spark = SparkSession.builder.master("local[1]").appName("mtlint-check").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    got = [key(r.asDict()) for r in spark.read.parquet(out_dir + "/findings.parquet").collect()]
    csv_rows = spark.read.option("header", True).option("escape", '"').csv(out_dir + "/findings.csv").count()
    spark.stop()
    with open(single_path, encoding="utf-8") as f:
        want = [key(json.loads(line)) for line in f if line.strip()]
    sort = lambda rows: sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))
    if sort(got) != sort(want):
        g, w = collections.Counter(got), collections.Counter(want)
        extra = list((g - w).elements())[:5]
        missing = list((w - g).elements())[:5]
        problems.append("findings differ: %d from Spark, %d from mtlint check; extra %r; missing %r"
                        % (len(got), len(want), extra, missing))
    if csv_rows != len(want):
        problems.append("findings.csv has %d rows, mtlint check %d" % (csv_rows, len(want)))

    with open(summary_path, encoding="utf-8") as f:
        summary = f.read()
    by_rule = {r["rule"]: r["count"] for r in read_json_dir(out_dir + "/aggregates/by_rule.json")}
    if by_rule != summary_table(summary, "Findings by rule"):
        problems.append("by rule: Spark %r, summary %r" % (by_rule, summary_table(summary, "Findings by rule")))
    by_category = {r["category"]: r["count"] for r in read_json_dir(out_dir + "/aggregates/by_category.json")}
    if by_category != summary_table(summary, "Findings by category"):
        problems.append("by category: Spark %r, summary %r"
                        % (by_category, summary_table(summary, "Findings by category")))
    groups = {r["group"]: (r["findings"], r["errors"], r["warnings"], r["infos"])
              for r in read_json_dir(out_dir + "/aggregates/by_group.json")}
    want_groups = collections.defaultdict(lambda: [0, 0, 0, 0])
    for row in want:
        g = want_groups[row[FIELDS.index("group")]]
        g[0] += 1
        g[{"error": 1, "warning": 2, "info": 3}[row[FIELDS.index("severity")]]] += 1
    if groups != {k: tuple(v) for k, v in want_groups.items()}:
        problems.append("by group: Spark %r, mtlint %r" % (groups, dict(want_groups)))

    # The summary's groups table: findings per group.
    lines = summary.splitlines()
    title = [l for l in lines if l.startswith("Groups by score")]
    if title:
        summary_groups = {}
        for line in lines[lines.index(title[0]) + 2:]:
            if not line.strip() or line.strip().startswith("("):
                break
            score, per_1k, findings, error_docs, share, words, group = line.split(None, 6)
            summary_groups[group] = int(findings)
        spark_groups = {g: v[0] for g, v in groups.items()}
        if summary_groups != spark_groups:
            problems.append("groups: Spark %r, summary %r" % (spark_groups, summary_groups))
    else:
        problems.append("the summary has no groups table")

    stats = read_json_dir(out_dir + "/partitions.json")
    if sum(s["findings"] for s in stats) != len(want):
        problems.append("partition counts add up to %d findings" % sum(s["findings"] for s in stats))
    malformed = sum(s["malformed_records"] for s in stats)

    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    found = {(r[FIELDS.index("record")], r[FIELDS.index("rule")]) for r in want}
    missed = [rid for rid, rule in manifest.items() if (rid, rule) not in found]
    if missed:
        problems.append("%d planted artifacts not found, as %r" % (len(missed), missed[:5]))

    print("check_results: %d findings, %d partitions, %d malformed records, %d groups, %d planted artifacts"
          % (len(got), len(stats), malformed, len(groups), len(manifest)))
    for p in problems:
        print("check_results: FAIL " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
