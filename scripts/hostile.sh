#!/usr/bin/env bash
# Hostile inputs too big for unit tests, each run under a time bound, with
# the peak memory (RSS) of each run when /usr/bin/time is there.
#
#   scripts/hostile.sh            CI sizes: a 200 MB file on one line, a
#                                 4 MB line of prose where long spans hold
#                                 short ones, a tree of 20,000 small files, a
#                                 rule matching every character on 2 MB
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

# One line of SPANS_LINE_MB megabytes (default 4) of prose where long spans
# hold short ones all along the line, with every default rule: a repeated
# sentence holding a doubled word and a "Bern , Bern , Bern" loop holding
# spaces before commas, then short sentences (under the repeated-sentence
# minimum, so each unit repeats the previous one). Span ends step back after
# each long span, and positions once recounted the line from its start there
# (quadratic: 13-24 s at 4 MB on 2 busy cores), so this case has its own
# bound, SPANS_LIMIT seconds (default 5; linear, it takes under 1 s). The
# non-ASCII "Zürich" keeps char counting off its ASCII fast path.
SPANS_LINE_MB=${SPANS_LINE_MB:-4}
SPANS_LIMIT=${SPANS_LIMIT:-5}
spans_unit="The envoy met the the officials in Bern , Bern , Bern , Bern on Monday , he said. $(printf 'It rained in Zürich. %.0s' $(seq 15))"
yes "$spans_unit" | head -n $((SPANS_LINE_MB * 1024 * 1024 / $(printf '%s' "$spans_unit" | wc -c))) | tr -d '\n' >"$work/spans.txt"
LIMIT=$SPANS_LIMIT run "spans ${SPANS_LINE_MB} MB line, all rules" check "$work/spans.txt" --exit-zero
for rule in repeated-sentence repetition-loop doubled-word space-before-punctuation; do
    grep -q "$rule" "$work/out" || { echo "  FAILED: no $rule finding in the spans line"; failed=1; }
done
rm -f "$work/spans.txt"

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


# ---- Huge records, huge lines, sparse files -------------------------------
# One record or line of HUGE_MB megabytes (default 50; HUGE_MB=500 for the
# README's figures) in each input format that holds one: prose on one line
# with artifacts all along it, a JSON Lines record, a quoted CSV field with
# a doubled quote in every sentence (7% longer; quotes on one long line were
# quadratic). Each must keep its peak RSS under 3x the file plus 32 MB (the
# binary and the batch of parts being checked, whatever the record's size;
# checked when /usr/bin/time is there) and end within LIMIT. Then a
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

# Three times the size of FILE plus 32 MB, in kilobytes.
thrice() { echo $((3 * $(wc -c <"$1") / 1024 + 32 * 1024)); }

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
# ---- end of huge-input cases ----------------------------------------------

# --- Pairing on one long line, in every input format ---------------------
# One line of PAIRS_LINE_MB megabytes full of quotes and brackets, some
# unpaired, as the prose of each input format: one paragraph whose openers
# pile up. Pairing once looked behind every opener to the paragraph start,
# and plain text, split into 256 KB segments, hid it: Markdown took minutes.
# Only the pairing rules run, so that the time is theirs (with every rule,
# positions of long spans interleaved with short ones cost more than the
# pairing itself). Each report must hold findings of both (the text was read).
#   PAIRS_LINE_MB=16 scripts/hostile.sh     these lines at 16 MB (default 8)
PAIRS_LINE_MB=${PAIRS_LINE_MB:-8}
pairs_unit='She said “we (will [go] soon” and left (then “come back. He called it "great" [sic) and ‘fine’ too, «oui» (x)) ] '
# Whole units, so that no char is cut; $1 is a sed script that escapes.
pairs_units=$((PAIRS_LINE_MB * 1024 * 1024 / $(printf '%s' "$pairs_unit" | wc -c)))
pairs_line() {
    yes "$pairs_unit" | head -n "$pairs_units" | tr -d '\n' | sed "$1"
}
pairs_case() {
    local name=$1 file=$2
    shift 2
    run "pairs ${PAIRS_LINE_MB} MB line, $name" check "$file" --exit-zero \
        --select unpaired-quote,unpaired-bracket "$@"
    for rule in unpaired-quote unpaired-bracket; do
        grep -q "$rule" "$work/out" || { echo "  FAILED: no $rule finding in $name"; failed=1; }
    done
    rm -f "$file"
}
# Straight quotes escaped as each format escapes them.
pairs_line '' >"$work/pairs.txt"
pairs_case txt "$work/pairs.txt"
pairs_line '' >"$work/pairs.md"
pairs_case markdown "$work/pairs.md"
{ printf '<html><body><p>'; pairs_line ''; printf '</p></body></html>\n'; } >"$work/pairs.html"
pairs_case html "$work/pairs.html"
{ printf '{"id": 1, "body": {"text": "'; pairs_line 's/"/\\"/g'; printf '"}}\n'; } >"$work/pairs.jsonl"
pairs_case jsonl "$work/pairs.jsonl" --text-field body.text
{ printf 'id,text\n1,"'; pairs_line 's/"/""/g'; printf '"\n'; } >"$work/pairs.csv"
pairs_case csv "$work/pairs.csv"
{
    printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title><item><guid>1</guid><description>'
    pairs_line 's/"/\&quot;/g'
    printf '</description></item></channel></rss>\n'
} >"$work/pairs.rss"
pairs_case rss "$work/pairs.rss"
{
    printf '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><content type="text">'
    pairs_line ''
    printf '</content></entry></feed>\n'
} >"$work/pairs.atom"
pairs_case atom "$work/pairs.atom"
{
    printf '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="fr" target-language="en" datatype="plaintext" original="o"><body><trans-unit id="1"><source>s</source><target>'
    pairs_line ''
    printf '</target></trans-unit></body></file></xliff>\n'
} >"$work/pairs.xlf"
pairs_case xliff "$work/pairs.xlf"
{ printf 'msgid "s"\nmsgstr "'; pairs_line 's/"/\\"/g'; printf '"\n'; } >"$work/pairs.po"
pairs_case po "$work/pairs.po"
# --- end of pairing cases -------------------------------------------------

exit $failed
