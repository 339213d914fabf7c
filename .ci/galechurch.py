#!/usr/bin/env python3
"""Gale-Church baseline for `werger eval-alignment`: NLTK's align_blocks on sentence lengths.

Reads JSON on stdin: {"documents": [{"source": [len, ...], "target": [len, ...]}, ...]}, the
character length of every sentence of each document, and prints JSON on stdout: one entry per
document, in order, either the list of [source index, target index] links that
nltk.translate.gale_church.align_blocks returns (a group of k source and l target sentences
comes back as its k x l links; sentences it leaves unaligned appear in no link), or null when
NLTK raised on that document (the error goes to stderr).

align_blocks is called once per document with NLTK's default parameters (Gale & Church 1993:
c = 1, s^2 = 6.8, their priors), exactly as a user of the library would.
"""

import json
import sys

from nltk.translate import gale_church


def main():
    request = json.load(sys.stdin)
    # Documents here are at most a few hundred sentences; lift NLTK's guard in case a longer
    # one is ever given, rather than dropping it from the baseline.
    longest = max(
        (max(len(d["source"]), len(d["target"])) for d in request["documents"]), default=0
    )
    if longest > gale_church.MAX_ALIGN_BLOCKS:
        gale_church.MAX_ALIGN_BLOCKS = longest
    out = []
    for number, doc in enumerate(request["documents"]):
        try:
            links = gale_church.align_blocks(doc["source"], doc["target"])
            out.append([[int(i), int(j)] for i, j in links])
        except Exception as error:  # noqa: BLE001 - report and keep going
            print(f"document {number}: {type(error).__name__}: {error}", file=sys.stderr)
            out.append(None)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
