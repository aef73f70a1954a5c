#!/usr/bin/env bash
# The HTML report as a person sees it: renders the report of corpus/ and of a
# generated multi-source JSON Lines feed in headless Chromium, saves a
# screenshot of each, and checks the page through the DevTools protocol
# (scripts/html-check.py): the sources table's rows and their order, one
# chart bar per rule with findings, the rows of the recurring boilerplate
# section, the source filter, no console errors, nothing fetched from the
# network.
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
# order of the sources table follows from how noisy each source is. The
# clean sentences turn over from day to day, so that what recurs within a
# source is what was planted: a footer, a header, the noisy lines.
python3 - "$OUT/feed.jsonl" <<'PY'
import json, sys
clean = [
    "The council approved the budget for the new library on Monday.",
    "Volunteers cleaned the beach south of the harbour on Saturday morning.",
    "The museum will open a new gallery of maps in the autumn.",
    "Bus drivers agreed a new rota after two weeks of talks.",
    "The bakery on the square reopened after a fire in March.",
    "Rain delayed the start of the regatta by three hours.",
    "A survey found more otters in the upper valley than last year.",
    "The school choir won second prize at the regional festival.",
    "Engineers tested the new flood gates at low tide.",
    "The night market will move to the old station yard in June.",
]
planted = {"wire-medium": ("", "Share this story with your friends"),
           "daily-clean-a": ("Members get early access to our weekend edition", "")}
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
            body = " ".join(clean[(day - 1 + k) % len(clean)] for k in range(3))
            text = body + ("\n\n" + " ".join(bad) if bad and (n % 2 == 0 or source == "wire-heavy") else "")
            head, foot = planted.get(source, ("", ""))
            text = (head + "\n\n" if head else "") + text + ("\n\n" + foot if foot else "")
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
# Grouped by file, nothing can recur: a prose file is a group of one.
json.dump({"groups": None, "group_set": files, "bars": int(sys.argv[2]), "boilerplate": []},
          open(sys.argv[1], "w"))
PY
echo "html-test: corpus/: $FILES files checked, $BARS rules with findings"
python3 scripts/html-check.py "$CHROMIUM" "$OUT/corpus.html" "$OUT/corpus-expect.json" "$OUT/corpus.png" || status=1

# 2. The generated feed, one source per `source` field, with trends.
"$MTLINT" check "$OUT/feed.jsonl" --exit-zero --format html --group-by field:source --date-field date -o "$OUT/feed.html"
BARS=$("$MTLINT" check "$OUT/feed.jsonl" --exit-zero | rules_with_findings)
python3 - "$OUT/feed-expect.json" "$BARS" <<'PY'
import json, sys
json.dump({
    "groups": ["wire-heavy", "wire-medium", "wire-light", "daily-clean-a", "daily-clean-b"],
    "bars": int(sys.argv[2]),
    # What recurs in at least 5 documents of a source (mine's defaults),
    # as [text, documents]: the planted footer and header, wire-heavy's
    # noisy line (in all ten of its documents) and its last two
    # sentences, and the noisy lines of wire-medium and wire-light (in
    # five documents each).
    "boilerplate_set": [
        ["It ended in November. . The talks went on. Officials met in Bern, Bern, Bern, Bern on Friday. "
         "Theme License is not validated, Go to the theme options page to validate the license", 10],
        ["Officials met in Bern, Bern, Bern, Bern on Friday", 10],
        ["Theme License is not validated, Go to the theme options page to validate the license", 10],
        ["Share this story with your friends", 10],
        ["Members get early access to our weekend edition", 10],
        ["It ended in November. . The talks went on. They signed the the deal on Friday", 5],
        ["They signed the the deal on Friday", 5],
    ],
    # Clicking wire-heavy leaves its three rows.
    "boilerplate_after_click": 3,
}, open(sys.argv[1], "w"))
PY
python3 scripts/html-check.py "$CHROMIUM" "$OUT/feed.html" "$OUT/feed-expect.json" "$OUT/feed.png" || status=1

# 3. The corpus's own feed, as the README walk-through shows it.
"$MTLINT" check corpus/feeds --exit-zero --format html --group-by field:source --date-field date \
  --text-field title --text-field text -o "$OUT/walkthrough.html"
BARS=$("$MTLINT" check corpus/feeds --exit-zero --text-field title --text-field text | rules_with_findings)
# No source of the walk-through's feed has the five documents mining asks for.
echo "{\"groups\": [\"Alpine Post English\", \"Metro Wire (auto-EN)\", \"Coastal Bulletin\", \"Harbour Daily\"], \"bars\": $BARS, \"boilerplate\": []}" > "$OUT/walkthrough-expect.json"
python3 scripts/html-check.py "$CHROMIUM" "$OUT/walkthrough.html" "$OUT/walkthrough-expect.json" "$OUT/walkthrough.png" || status=1

exit $status
