#!/usr/bin/env bash
# Hostile inputs too big for unit tests, each run under a time bound, with
# the peak memory (RSS) of each run when /usr/bin/time is there.
#
#   scripts/hostile.sh            CI sizes: a 200 MB file on one line, a tree
#                                 of 20,000 small files, a rule matching every
#                                 character on 2 MB
#   LINE_MB=1024 FILES=100000 FILE_KB=10 LIMIT=900 scripts/hostile.sh
#                                 the figures in the README (1 GB each)
#   PROSE_LINE_MB=2 scripts/hostile.sh
#                                 also a line of prose with artifacts (off by
#                                 default; it once was slow: see the README's
#                                 Reliability section, positions and
#                                 near-duplicate sentences on long lines)
#
# Each case must end within LIMIT seconds (default 60) with exit code 0 or 1
# and no panic; the script exits 1 otherwise. Inputs live in a temp folder
# that is removed at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

LINE_MB=${LINE_MB:-200}
PROSE_LINE_MB=${PROSE_LINE_MB:-0}
FILES=${FILES:-20000}
FILE_KB=${FILE_KB:-1}
EVERY_MB=${EVERY_MB:-2}
LIMIT=${LIMIT:-60}
BIN=${MTLINT:-target/release/mtlint}

if [ -z "${MTLINT:-}" ]; then
    cargo build --release --locked --quiet || exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# run NAME ARGS...: runs mtlint under the time bound; prints seconds, peak
# RSS and the number of report lines.
run() {
    local name=$1
    shift
    local start end code rss lines
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        timeout "$LIMIT" /usr/bin/time -f '%M' -o "$work/rss" "$BIN" "$@" \
            >"$work/out" 2>"$work/err"
    else
        timeout "$LIMIT" "$BIN" "$@" >"$work/out" 2>"$work/err"
    fi
    code=$?
    end=$(date +%s%N)
    rss=$( [ -s "$work/rss" ] && echo "$(( $(tail -1 "$work/rss") / 1024 )) MB" || echo "n/a")
    lines=$(wc -l <"$work/out")
    local ds=$(((end - start) / 100000000))
    printf '%-28s exit %3s  %4d.%d s  peak RSS %8s  %s report lines\n' \
        "$name" "$code" $((ds / 10)) $((ds % 10)) "$rss" "$lines"
    if [ "$code" -ne 0 ] && [ "$code" -ne 1 ] || grep -q panicked "$work/err"; then
        echo "  FAILED: $name (exit $code; 124 = over ${LIMIT}s)"
        head -5 "$work/err"
        failed=1
    fi
    rm -f "$work/rss"
}

# One line of LINE_MB megabytes, no space and no line break anywhere: every
# stage (reading, segments, tokens, every rule, positions) on one huge line.
head -c "${LINE_MB}M" /dev/zero | tr '\0' 'x' >"$work/line.txt"
run "one ${LINE_MB} MB line" check "$work/line.txt" --exit-zero
rm -f "$work/line.txt"

sentence='The minister said on Tuesday that the talks in November. . would go on, and the the envoy agreed; '
# A line of prose with artifacts all along it (opt-in, see above).
if [ "$PROSE_LINE_MB" -gt 0 ]; then
    yes "$sentence" | tr -d '\n' | head -c "${PROSE_LINE_MB}M" >"$work/prose.txt"
    run "one ${PROSE_LINE_MB} MB line of prose" check "$work/prose.txt" --exit-zero
    rm -f "$work/prose.txt"
fi

# FILES files of FILE_KB kilobytes in folders of 1,000.
mkdir -p "$work/tree"
body=$(yes "$sentence" | head -c "$((FILE_KB * 1024))")
for ((i = 0; i < FILES; i++)); do
    d="$work/tree/d$((i / 1000))"
    [ -d "$d" ] || mkdir "$d"
    printf '%s\n' "$body" >"$d/f$i.txt"
done
run "${FILES} files of ${FILE_KB} KB" check "$work/tree" --exit-zero

# A rule that matches every character, on EVERY_MB megabytes: capped at
# 10,000 findings with a note.
cat >"$work/every.toml" <<'RULE'
id = "every"
kind = "pattern"
category = "test"
severity = "warning"
message = "m"
summary = "s"
why = "w"
pattern = '.'
RULE
yes "$sentence" | head -c "${EVERY_MB}M" >"$work/every.txt"
run "'.' rule on ${EVERY_MB} MB" check "$work/every.txt" --isolated --no-default-rules \
    --rules "$work/every.toml" --exit-zero
grep -q 'more than 10000 findings' "$work/err" || { echo "  FAILED: no cap note"; failed=1; }


# ---- Huge records, huge lines, sparse files (fix/inputs) ------------------
# One record or line of HUGE_MB megabytes (default 50; HUGE_MB=500 for the
# README's figures) in each input format that holds one: prose on one line
# with artifacts all along it, a JSON Lines record, a quoted CSV field with
# a doubled quote in every sentence (7% longer; quotes on one long line were
# quadratic). Each must keep its peak RSS under 3x the file (checked when
# /usr/bin/time is there) and end within LIMIT. Then a
# sparse file of SPARSE_GB gigabytes (default 4; no disk used) named .txt,
# which must be skipped as binary from its first bytes: under 64 MB of RSS.
HUGE_MB=${HUGE_MB:-50}
SPARSE_GB=${SPARSE_GB:-4}

# bounded NAME FILE MAX_KB ARGS...: like `run` on FILE (named last), and
# fails when the peak RSS was over MAX_KB kilobytes.
bounded() {
    local name=$1 file=$2 max_kb=$3
    shift 3
    local start end code
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        timeout "$LIMIT" /usr/bin/time -f '%M' -o "$work/rss" "$BIN" "$@" "$file" \
            >"$work/out" 2>"$work/err"
    else
        timeout "$LIMIT" "$BIN" "$@" "$file" >"$work/out" 2>"$work/err"
    fi
    code=$?
    end=$(date +%s%N)
    local ds=$(((end - start) / 100000000)) rss_kb=""
    [ -s "$work/rss" ] && rss_kb=$(tail -1 "$work/rss")
    local size_kb=$(($(wc -c <"$file") / 1024))
    printf '%-28s exit %3s  %4d.%d s  peak RSS %8s  (%s x the input)\n' "$name" "$code" \
        $((ds / 10)) $((ds % 10)) "${rss_kb:+$((rss_kb / 1024)) MB}" \
        "$(awk -v r="$rss_kb" -v s="$size_kb" 'BEGIN { print (r && s) ? sprintf("%.2f", r / s) : "n/a" }')"
    if [ "$code" -ne 0 ] && [ "$code" -ne 1 ] || grep -q panicked "$work/err"; then
        echo "  FAILED: $name (exit $code; 124 = over ${LIMIT}s)"
        head -5 "$work/err"
        failed=1
    elif [ -n "$rss_kb" ] && [ "$rss_kb" -gt "$max_kb" ]; then
        echo "  FAILED: $name: peak RSS $((rss_kb / 1024)) MB over $((max_kb / 1024)) MB"
        failed=1
    elif [ -z "$rss_kb" ]; then
        echo "  (no /usr/bin/time: peak RSS not checked)"
    fi
    rm -f "$work/rss"
}

# Three times the size of FILE, in kilobytes.
thrice() { echo $((3 * $(wc -c <"$1") / 1024)); }

yes "$sentence" | tr -d '\n' | head -c "${HUGE_MB}M" >"$work/huge.txt"
bounded "prose line of ${HUGE_MB} MB" "$work/huge.txt" "$(thrice "$work/huge.txt")" check --exit-zero

{ printf '{"id": "big", "text": "'; cat "$work/huge.txt"; printf '"}\n{"text": "Small."}\n'; } \
    >"$work/huge.jsonl"
bounded "JSONL record of ${HUGE_MB} MB" "$work/huge.jsonl" "$(thrice "$work/huge.jsonl")" check --exit-zero
rm -f "$work/huge.jsonl"

{
    printf 'id,text\nbig,"'
    # Not cut after the edit: a cut could split a doubled quote.
    sed 's/said/said ""so""/g' "$work/huge.txt"
    printf '"\nsmall,Small.\n'
} >"$work/huge.csv"
bounded "CSV field of ${HUGE_MB} MB" "$work/huge.csv" "$(thrice "$work/huge.csv")" check --exit-zero
rm -f "$work/huge.csv" "$work/huge.txt"

: >"$work/sparse.txt"
truncate -s "${SPARSE_GB}G" "$work/sparse.txt"
bounded "sparse file of ${SPARSE_GB} GB" "$work/sparse.txt" $((64 * 1024)) check
grep -q 'binary' "$work/err" || { echo "  FAILED: the sparse file was not called binary"; failed=1; }
rm -f "$work/sparse.txt"
# ---- end of fix/inputs cases ---------------------------------------------

exit $failed
