#!/usr/bin/env python3
"""Compares the Spark job's results with `mtlint check` on one machine:
the findings (sorted) must be identical, field by field, each exactly once;
the aggregates the job computed must equal what the single-machine summary
prints — findings by rule and by category; per group the findings, words,
findings per 1,000 words, score and documents with an error among all
(to the summary's printed precision); the same for the total line — and
the artifacts the corpus generator put in known places must be found.
Exits 1 with the differences otherwise.

Reads the job's Parquet with pyarrow (no second Spark session).

Usage: check_results.py SPARK_OUTPUT SINGLE.jsonl SUMMARY.txt MANIFEST.json [SINGLE.err]
"""

import collections
import csv
import glob
import json
import re
import sys

import pyarrow.parquet as pq

FIELDS = ["path", "record", "line", "column", "end_line", "end_column", "byte_start",
          "byte_end", "rule", "category", "severity", "message", "matched", "suggestion",
          "group", "score", "language"]


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


def summary_groups(text):
    """The summary's groups table: name -> (score, per-1k, findings,
    "with errors/documents", words) as printed; and the groups it says
    have no findings."""
    lines = text.splitlines()
    title = [i for i, l in enumerate(lines) if l.startswith("Groups by score")]
    if not title:
        return None, 0
    groups, clean = {}, 0
    for line in lines[title[0] + 2:]:
        if not line.strip():
            break
        m = re.match(r"\s*\((\d+) groups? without findings\)", line)
        if m:
            clean = int(m.group(1))
            break
        score, per_1k, findings, error_docs, _share, words, group = line.split(None, 6)
        groups[group] = (score, per_1k, int(findings), error_docs, int(words))
    return groups, clean


def summary_total(text):
    m = re.search(r"^Total: (\d+) findings in \d+ of \d+ files; (\d+) words; (\S+) per 1,000 words; "
                  r"score (\S+); (\d+) of (\d+) documents with an error", text, re.M)
    if not m:
        return None
    findings, words, density, score, with_errors, documents = m.groups()
    return (int(findings), int(words), density, score, "%s/%s" % (with_errors, documents))


def read_json_dir(path):
    out = []
    for part in sorted(glob.glob(path + "/part-*")):
        with open(part, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out


def read_parquet_dir(path):
    return pq.read_table(path).to_pylist()


def one_decimal(x):
    return "-" if x is None else "%.1f" % x


def main():
    out_dir, single_path, summary_path, manifest_path = sys.argv[1:5]
    single_err = sys.argv[5] if len(sys.argv) > 5 else None
    problems = []
    got = [key(r) for r in read_parquet_dir(out_dir + "/findings.parquet")]
    csv_rows = 0
    for part in glob.glob(out_dir + "/findings.csv/part-*"):
        with open(part, encoding="utf-8", newline="") as f:
            csv_rows += sum(1 for _ in csv.DictReader(f))
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
    agg = out_dir + "/aggregates/"
    by_rule = {r["rule"]: r["count"] for r in read_json_dir(agg + "by_rule.json")}
    if by_rule != summary_table(summary, "Findings by rule"):
        problems.append("by rule: Spark %r, summary %r" % (by_rule, summary_table(summary, "Findings by rule")))
    by_category = {r["category"]: r["count"] for r in read_json_dir(agg + "by_category.json")}
    if by_category != summary_table(summary, "Findings by category"):
        problems.append("by category: Spark %r, summary %r"
                        % (by_category, summary_table(summary, "Findings by category")))

    # Per group, from the documents, against the summary's groups table.
    spark_groups = {r["group"]: r for r in read_json_dir(agg + "by_group.json")}
    printed, clean = summary_groups(summary)
    if printed is None:
        problems.append("the summary has no groups table")
    else:
        shown = {g: (one_decimal(r["score"]), one_decimal(r.get("density")), r["findings"],
                     "%d/%d" % (r["documents_with_errors"], r["documents"]), r["words"])
                 for g, r in spark_groups.items() if r["findings"] > 0}
        if shown != printed:
            problems.append("groups: Spark %r, summary %r" % (shown, printed))
        spark_clean = sum(1 for r in spark_groups.values() if r["findings"] == 0)
        if spark_clean != clean:
            problems.append("groups without findings: Spark %d, summary %d" % (spark_clean, clean))
    # The groups' findings from the documents equal those of the findings.
    counted = collections.Counter(r[FIELDS.index("group")] for r in want)
    from_docs = {g: r["findings"] for g, r in spark_groups.items() if r["findings"]}
    if from_docs != dict(counted):
        problems.append("findings per group: documents %r, findings %r" % (from_docs, dict(counted)))
    by_group_rule = collections.Counter()
    for r in read_json_dir(agg + "by_group_rule.json"):
        by_group_rule[(r["group"], r["rule"])] += r["count"]
    want_group_rule = collections.Counter((r[FIELDS.index("group")], r[FIELDS.index("rule")]) for r in want)
    if by_group_rule != want_group_rule:
        problems.append("findings by group and rule differ")

    totals = read_json_dir(agg + "totals.json")
    want_total = summary_total(summary)
    if len(totals) != 1 or want_total is None:
        problems.append("totals: Spark %r, summary %r" % (totals, want_total))
    else:
        t = totals[0]
        got_total = (t["findings"], t["words"], one_decimal(t.get("density")), one_decimal(t["score"]),
                     "%d/%d" % (t["documents_with_errors"], t["documents"]))
        if got_total != want_total:
            problems.append("total: Spark %r, summary %r" % (got_total, want_total))
    documents = pq.read_table(out_dir + "/documents.parquet").num_rows
    if totals and documents != totals[0]["documents"]:
        problems.append("documents.parquet has %d rows, totals %r" % (documents, totals[0]["documents"]))

    stats = read_json_dir(out_dir + "/partitions.json")
    if sum(s["findings"] for s in stats) != len(want):
        problems.append("partition counts add up to %d findings" % sum(s["findings"] for s in stats))
    slices = collections.Counter((s["path"], s["partition"]) for s in stats)
    if any(n > 1 for n in slices.values()):
        problems.append("a partition is counted twice: %r" % [k for k, n in slices.items() if n > 1])
    malformed = sum(s["malformed_records"] for s in stats)
    if single_err is not None:
        with open(single_err, encoding="utf-8") as f:
            want_malformed = sum(1 for line in f if "malformed" in line)
        if malformed != want_malformed:
            problems.append("malformed records: Spark %d, mtlint check %d" % (malformed, want_malformed))

    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    found = {(r[FIELDS.index("record")], r[FIELDS.index("rule")]) for r in want}
    missed = [rid for rid, rule in manifest.items() if (rid, rule) not in found]
    if missed:
        problems.append("%d planted artifacts not found, as %r" % (len(missed), missed[:5]))

    print("check_results: %d findings, %d documents, %d partitions, %d malformed records, "
          "%d groups, %d planted artifacts" % (len(got), documents, len(stats), malformed,
                                               len(spark_groups), len(manifest)))
    for p in problems:
        print("check_results: FAIL " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
