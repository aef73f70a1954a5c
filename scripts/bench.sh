#!/usr/bin/env bash
# Throughput benchmark: mtlint with the full default pack against ripgrep
# running ten comparable regexes (rg10), on the shared 100 MB corpus.
#
#   scripts/bench.sh [CORPUS_DIR] [RUNS]
#
# CORPUS_DIR defaults to a temporary folder filled by ../shared/bench/make_corpus.py
# (or reuse one that already holds many/ and large/). RUNS (default 5) is how many
# times each command runs; mtlint and rg runs alternate so that machine noise hits
# both alike. Reports medians, MB/s, the mtlint/rg time ratio, peak RSS, 1→2 job
# scaling and start-up time. Stops by itself; about 2–4 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${2:-5}
SHARED=${SHARED:-../shared}
RG10="$SHARED/bench/rg10.txt"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need rg; then
  echo "installing ripgrep (cargo install ripgrep)…" >&2
  cargo install --quiet ripgrep
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! need hyperfine; then
  echo "installing hyperfine (apt-get install hyperfine)…" >&2
  (apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq hyperfine >/dev/null; }) || echo "hyperfine unavailable: start-up time is measured with a loop" >&2
fi
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null 2>&1 || true; }

cargo build --release --quiet
MTLINT=$PWD/target/release/mtlint

CORPUS=${1:-}
if [ -z "$CORPUS" ]; then
  CORPUS=$(mktemp -d)
  trap 'rm -rf "$CORPUS"' EXIT
fi
if [ ! -d "$CORPUS/many" ]; then
  echo "generating the corpus in $CORPUS…" >&2
  python3 "$SHARED/bench/make_corpus.py" "$CORPUS" >&2
fi

RESULTS=$(mktemp)
# One timed run: label, then the command. Appends "label seconds max_rss_kb".
run() {
  local label=$1; shift
  /usr/bin/time -f "$label %e %M" -o "$RESULTS.one" "$@" >/dev/null 2>&1 || true
  cat "$RESULTS.one" >> "$RESULTS"
}

# Warm the page cache once.
cat "$CORPUS"/many/*/* "$CORPUS"/large/* > /dev/null

for _ in $(seq "$RUNS"); do
  run rg_many_j2 rg -j2 --count-matches -f "$RG10" "$CORPUS/many"
  run mt_many_j2 "$MTLINT" check "$CORPUS/many" --format csv -j 2 --exit-zero
  run rg_large_j2 rg -j2 --count-matches -f "$RG10" "$CORPUS/large"
  run mt_large_j2 "$MTLINT" check "$CORPUS/large" --format csv -j 2 --exit-zero
  run mt_many_j1 "$MTLINT" check "$CORPUS/many" --format csv -j 1 --exit-zero
done

# sed reads to the end: `head` would close the pipe early, and with
# pipefail the SIGPIPE that `sort` may then get would stop the script.
SMALL_FILE=$(find "$CORPUS/small" -type f | sort | sed -n 1p)
STARTUP=""
if need hyperfine; then
  STARTUP=$(hyperfine -N --warmup 5 --runs 50 --export-json "$RESULTS.json" \
      "$MTLINT check $SMALL_FILE --exit-zero" >/dev/null 2>&1 &&
    python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000, 1))" "$RESULTS.json")
fi

python3 - "$RESULTS" "$CORPUS" "$STARTUP" <<'PY'
import collections, os, statistics, sys
results, corpus, startup = sys.argv[1], sys.argv[2], sys.argv[3]
runs = collections.defaultdict(list)
for line in open(results):
    label, secs, rss = line.split()
    runs[label].append((float(secs), int(rss)))
def size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
mb = {"many": size(os.path.join(corpus, "many")) / 1e6, "large": size(os.path.join(corpus, "large")) / 1e6}
largest = max(os.path.getsize(os.path.join(corpus, "large", f)) for f in os.listdir(os.path.join(corpus, "large"))) / 1e6
med = {k: statistics.median(s for s, _ in v) for k, v in runs.items()}
rss = {k: max(r for _, r in v) / 1024 for k, v in runs.items()}
print(f"corpus: many = {mb['many']:.0f} MB in 12,009 files; large = {mb['large']:.0f} MB in 4 files (largest {largest:.0f} MB); {len(runs['mt_many_j2'])} alternating runs each\n")
print(f"| command | median s | MB/s | peak RSS MB | time ÷ rg10 |")
print(f"|---|---|---|---|---|")
for key, what, corp in [("rg_many_j2", "rg -j2 rg10, many", "many"), ("mt_many_j2", "mtlint -j2, many", "many"),
                        ("mt_many_j1", "mtlint -j1, many", "many"),
                        ("rg_large_j2", "rg -j2 rg10, large", "large"), ("mt_large_j2", "mtlint -j2, large", "large")]:
    rg = med["rg_" + corp + "_j2"]
    print(f"| {what} | {med[key]:.2f} | {mb[corp] / med[key]:.0f} | {rss[key]:.0f} | {med[key] / rg:.2f} |")
print()
print(f"1 → 2 jobs on many: {med['mt_many_j1'] / med['mt_many_j2']:.2f}× faster")
print(f"peak RSS on large: {rss['mt_large_j2']:.0f} MB = {rss['mt_large_j2'] / largest:.2f}× the largest file")
if startup:
    print(f"start-up (one small file, median of 50): {startup} ms")
PY
rm -f "$RESULTS" "$RESULTS.one" "$RESULTS.json"
