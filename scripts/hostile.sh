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

exit $failed
