#!/usr/bin/env python3
"""Writes a multi-source JSON Lines corpus with translation artifacts in
known places, for the Spark job's test (scripts/spark-test.sh) and for
throughput measurements.

Each file is a dump of a news aggregator: records with an id, a source, a
date and a text. Texts are put together from sentences written for this
generator; some records get an artifact at a known place (a doubled word,
a stray period before a full stop, a name repeated in a loop: an error),
and the manifest written next to the files lists them (record id ->
artifact), so a test can check that each is found. A few malformed lines and blank lines are mixed in when asked, as
real dumps have them.

Deterministic: the same arguments give the same bytes.
"""

import argparse
import json
import os
import random

SOURCES = ["harbour-daily", "valley-courier", "metro-wire", "coastal-review", "north-post"]

SENTENCES = [
    "The council approved the budget after a long evening session.",
    "Residents queued outside the library before it opened on Saturday.",
    "A freight train was delayed by snow near the mountain pass.",
    "The museum will lend two paintings to a gallery abroad next spring.",
    "Farmers said the late frost had damaged part of the apple harvest.",
    "The ferry company added an evening crossing for the summer months.",
    "Engineers inspected the bridge and found no structural damage.",
    "The school reopened its swimming pool after a year of repairs.",
    "Officials expect the new tram line to carry ten thousand passengers a day.",
    "The orchestra announced a free concert in the central square.",
    "Volunteers planted four hundred trees along the river bank.",
    "The hospital opened a second wing for outpatient care.",
    "A local bakery won a regional prize for its rye bread.",
    "The airport reported record numbers of travellers in August.",
    "Police closed the coastal road for several hours after a landslide.",
    "The café by the station now opens at six for early commuters.",
    "Delegates from Zürich and Malmö met to discuss rail timetables.",
]


AUXILIARIES = {"had", "was", "were", "have", "that", "been"}


def doubled(text, rng):
    """Doubles one word of `text` (a 'the the' kind of slip)."""
    words = text.split(" ")
    # Not an auxiliary: "had had" and "that that" are English, and the
    # rule rightly lets "was was" pass in some contexts.
    candidates = [i for i, w in enumerate(words)
                  if w.isalpha() and w.islower() and len(w) > 3 and w not in AUXILIARIES]
    i = rng.choice(candidates)
    words.insert(i, words[i])
    return " ".join(words)


def stray_period(text, rng):
    """Leaves a stray period before the full stop of the first sentence."""
    return text.replace(".", ". .", 1)


TOWNS = ["Lund", "Kiruna", "Bodø", "Tartu", "Aarhus"]


def repetition_loop(text, rng):
    """Ends the text with a town name repeated, as a decoder stuck in a
    loop writes it (an error-severity finding)."""
    town = rng.choice(TOWNS)
    return text + " The next stops are " + ", ".join([town] * 5) + "."


ARTIFACTS = {"doubled-word": doubled, "stray-period": stray_period,
             "repetition-loop": repetition_loop}


def record(rng, file_no, i):
    source = SOURCES[rng.randrange(len(SOURCES))]
    n = rng.randrange(2, 7)
    text = " ".join(rng.choice(SENTENCES) for _ in range(n))
    artifact = None
    roll = rng.random()
    if roll < 0.18:
        artifact = "doubled-word"
    elif roll < 0.30:
        artifact = "stray-period"
    elif roll < 0.34:
        artifact = "repetition-loop"
    if artifact:
        text = ARTIFACTS[artifact](text, rng)
    rec = {
        "id": f"f{file_no}-r{i}",
        "source": source,
        "date": f"2024-05-{1 + rng.randrange(28):02d}",
        "text": text,
    }
    if rng.random() < 0.2:
        rec["meta"] = {"lang": "en", "words": len(text.split())}
    return rec, artifact


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="folder to write the files into")
    ap.add_argument("--files", type=int, default=3)
    ap.add_argument("--records", type=int, default=1500, help="records per file")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--noise", action="store_true", help="mix in malformed and blank lines")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    manifest = {}
    for f in range(args.files):
        path = os.path.join(args.out, f"dump-{f:02d}.jsonl")
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            for i in range(args.records):
                rec, artifact = record(rng, f, i)
                if artifact:
                    manifest[rec["id"]] = artifact
                out.write(json.dumps(rec, ensure_ascii=rng.random() < 0.5) + "\n")
                if args.noise and i % 500 == 250:
                    out.write('{"id": "broken", "text": "unterminated\n')
                if args.noise and i % 700 == 350:
                    out.write("\n")
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as m:
        json.dump(manifest, m, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
