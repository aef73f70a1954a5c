#!/usr/bin/env bash
# The Spark job (spark/mtlint_spark.py) in local[2] mode against `mtlint
# check` on the same files: sorted findings identical; the aggregates the
# job computes (per group: documents, words, findings, density, score,
# documents with an error; by rule and category; the total) equal to the
# summary's to its printed precision; malformed records counted as mtlint
# counts them; planted artifacts found. Then the same with the subprocess
# of one partition killed on its first attempt (Spark retries the task;
# each finding still appears exactly once). Prints the job's time next to
# `mtlint check -j2` on the same data.
#
# pyspark (with pyarrow and pandas: mapInArrow goes through pyspark's
# pandas-UDF path, which refuses to start without pandas >= 2.2) live in a
# virtual environment
# outside the checkout, created on the first run (pip install) and reused
# after. Needs Java 17; without it the test says so and is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PYSPARK_VERSION=4.3.0
PYARROW_VERSION=26.0.1
PANDAS_VERSION=2.3.3
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/mtlint/spark-venv-$PYSPARK_VERSION"

if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -q 'version "17'; then
    echo "spark-test: Java 17 is not installed (java -version); skipped"
    exit 0
fi
if [ ! -x "$VENV/bin/spark-submit" ] || ! "$VENV/bin/python" -c 'import pyarrow, pandas' 2>/dev/null; then
    echo "spark-test: setting up $VENV (pip install pyspark==$PYSPARK_VERSION pyarrow==$PYARROW_VERSION pandas==$PANDAS_VERSION; the first run downloads them)"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "pyspark==$PYSPARK_VERSION" "pyarrow==$PYARROW_VERSION" "pandas==$PANDAS_VERSION"
fi
export PYSPARK_PYTHON="$VENV/bin/python"
export PYSPARK_DRIVER_PYTHON="$VENV/bin/python"

echo "== release build"
cargo build --release --locked --quiet
BIN="$PWD/target/release/mtlint"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$VENV/bin/python" spark/gen_corpus.py --out "$WORK/corpus" --files 3 --records 1500 --noise
# One dump with CRLF line breaks: its byte offsets must still be the file's.
sed -i 's/$/\r/' "$WORK/corpus/dump-02.jsonl"
FILES=("$WORK"/corpus/*.jsonl)
ARGS=(--id-field id --group-by field:source)

echo "== mtlint check (one machine)"
start=$(date +%s.%N)
# Exit 2: the corpus has malformed lines on purpose.
"$BIN" check --isolated --format jsonl --exit-zero -j2 "${ARGS[@]}" "${FILES[@]}" \
    >"$WORK/single.jsonl" 2>"$WORK/single.err" || [ $? -eq 2 ]
single=$(echo "$(date +%s.%N) - $start" | bc)
"$BIN" check --isolated --format summary --exit-zero "${ARGS[@]}" "${FILES[@]}" \
    >"$WORK/summary.txt" 2>/dev/null || [ $? -eq 2 ]
echo "   $(wc -l <"$WORK/single.jsonl") findings, $(grep -c 'malformed' "$WORK/single.err") malformed records, ${single}s"

run_job() {
    local out="$1"
    shift
    local inputs=()
    for f in "${FILES[@]}"; do inputs+=(--input "$f"); done
    "$VENV/bin/spark-submit" --master 'local[2,4]' \
        --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=2 \
        spark/mtlint_spark.py "${inputs[@]}" --output "$out" --binary "$BIN" \
        --split-bytes 262144 "$@" -- "${ARGS[@]}" >"$out.log" 2>&1 || {
        local rc=$?
        echo "spark-test: FAIL: spark-submit exited $rc; the end of its log:"
        tail -n 40 "$out.log" | sed 's/^/   /'
        return "$rc"
    }
}

echo "== Spark job, local[2]"
start=$(date +%s.%N)
run_job "$WORK/spark"
job=$(echo "$(date +%s.%N) - $start" | bc)
grep '^mtlint-spark:' "$WORK/spark.log" | sed 's/^/   /'
echo "   job ${job}s (JVM start included) vs mtlint check -j2 ${single}s"
"$VENV/bin/python" spark/check_results.py "$WORK/spark" "$WORK/single.jsonl" "$WORK/summary.txt" \
    "$WORK/corpus/manifest.json" "$WORK/single.err"

echo "== Spark job, the first attempt of partition 1 killed"
run_job "$WORK/killed" --kill-once 1
if ! grep -q 'MtlintFailed' "$WORK/killed.log"; then
    echo "spark-test: FAIL: the kill did not happen (no failed attempt in the log)"
    exit 1
fi
echo "   $(grep -c 'Lost task' "$WORK/killed.log") task attempts lost and retried"
"$VENV/bin/python" spark/check_results.py "$WORK/killed" "$WORK/single.jsonl" "$WORK/summary.txt" \
    "$WORK/corpus/manifest.json" "$WORK/single.err"
echo "spark-test: ok"
