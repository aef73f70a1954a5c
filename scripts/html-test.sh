#!/usr/bin/env bash
# The HTML report as a person sees it: renders the report of corpus/ and of a
# generated multi-source JSON Lines feed in headless Chromium, saves a
# screenshot of each, and checks the page through the DevTools protocol
# (scripts/html-check.py): the sources table's rows and their order, one
# chart bar per rule with findings, the source filter, no console errors,
# nothing fetched from the network.
#
#   scripts/html-test.sh [OUT_DIR]
#
# Installs Debian's `chromium` package when no Chromium is found (apt-get;
# says so). Skips, with a message saying why, only when it cannot be
# installed. OUT_DIR (default: a temporary folder) keeps the reports and
# screenshots. Needs python3. About a minute once Chromium is there.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-}
if [ -z "$OUT" ]; then
  OUT=$(mktemp -d)
  trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"

find_chromium() {
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

CHROMIUM=$(find_chromium || true)
if [ -z "$CHROMIUM" ]; then
  echo "html-test: no Chromium found; installing Debian's chromium package (apt-get install chromium)…" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; } \
      || true
  fi
  CHROMIUM=$(find_chromium || true)
  if [ -z "$CHROMIUM" ]; then
    echo "html-test: SKIPPED: Chromium is not installed and could not be installed (no apt-get, no root, or no package source reachable)" >&2
    exit 0
  fi
  echo "html-test: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
fi

cargo build --quiet
MTLINT=$PWD/target/debug/mtlint

# A generated feed: five sources from noisy to clean, over ten days. The
# order of the sources table follows from how noisy each source is.
python3 - "$OUT/feed.jsonl" <<'PY'
import json, sys
clean = [
    "The council approved the budget for the new library on Monday.",
    "Volunteers cleaned the beach south of the harbour on Saturday morning.",
    "The museum will open a new gallery of maps in the autumn.",
]
noise = {
    "wire-heavy": ["It ended in November. . The talks went on.", "Officials met in Bern, Bern, Bern, Bern on Friday.",
                   "Theme License is not validated, Go to the theme options page to validate the license."],
    "wire-medium": ["It ended in November. . The talks went on.", "They signed the the deal on Friday."],
    "wire-light": ["They signed the the deal on Friday."],
    "daily-clean-a": [],
    "daily-clean-b": [],
}
with open(sys.argv[1], "w") as f:
    n = 0
    for day in range(1, 11):
        for source, bad in noise.items():
            n += 1
            text = " ".join(clean) + ("\n\n" + " ".join(bad) if bad and (n % 2 == 0 or source == "wire-heavy") else "")
            f.write(json.dumps({"id": f"{source}-{day}", "url": f"https://{source}.example/{day}",
                                "source": source, "date": f"2024-05-{day:02d}", "title": "A title", "text": text}) + "\n")
PY

rules_with_findings() { # CSV report on stdin → number of distinct rules
  python3 -c 'import csv,sys; print(len({r["rule"] for r in csv.DictReader(sys.stdin)}))'
}

status=0

# 1. The bundled corpus, one source per file.
"$MTLINT" check corpus --exit-zero --format html -o "$OUT/corpus.html"
BARS=$("$MTLINT" check corpus --exit-zero | rules_with_findings)
FILES=$("$MTLINT" check corpus --exit-zero --format jsonl --verbose 2>&1 >/dev/null | sed -n 's/.*checked \([0-9]*\) files.*/\1/p')
python3 - "$OUT/corpus-expect.json" "$BARS" <<'PY'
import json, sys, os
files = sorted(os.path.join(d, f) for d, _, fs in os.walk("corpus") for f in fs
               if f.endswith((".txt", ".jsonl")))
json.dump({"groups": None, "group_set": files, "bars": int(sys.argv[2])}, open(sys.argv[1], "w"))
PY
echo "html-test: corpus/: $FILES files checked, $BARS rules with findings"
python3 scripts/html-check.py "$CHROMIUM" "$OUT/corpus.html" "$OUT/corpus-expect.json" "$OUT/corpus.png" || status=1

# 2. The generated feed, one source per `source` field, with trends.
"$MTLINT" check "$OUT/feed.jsonl" --exit-zero --format html --group-by field:source --date-field date -o "$OUT/feed.html"
BARS=$("$MTLINT" check "$OUT/feed.jsonl" --exit-zero | rules_with_findings)
echo "{\"groups\": [\"wire-heavy\", \"wire-medium\", \"wire-light\", \"daily-clean-a\", \"daily-clean-b\"], \"bars\": $BARS}" > "$OUT/feed-expect.json"
python3 scripts/html-check.py "$CHROMIUM" "$OUT/feed.html" "$OUT/feed-expect.json" "$OUT/feed.png" || status=1

# 3. The corpus's own feed, as the README walk-through shows it.
"$MTLINT" check corpus/feeds --exit-zero --format html --group-by field:source --date-field date \
  --text-field title --text-field text -o "$OUT/walkthrough.html"
BARS=$("$MTLINT" check corpus/feeds --exit-zero --text-field title --text-field text | rules_with_findings)
echo "{\"groups\": [\"Alpine Post English\", \"Metro Wire (auto-EN)\", \"Coastal Bulletin\", \"Harbour Daily\"], \"bars\": $BARS}" > "$OUT/walkthrough-expect.json"
python3 scripts/html-check.py "$CHROMIUM" "$OUT/walkthrough.html" "$OUT/walkthrough-expect.json" "$OUT/walkthrough.png" || status=1

exit $status
