"""How fast the tagger is, against bare TextBlob polarity over the same texts in the same run.

    make bench      (or: .venv/bin/python bench/tagger_speed.py [--n 100000])

Takes N comments (the FFT comments in ../shared/data, repeated as needed, or the team's
social-care comments when shared/ is not beside this checkout) and prints texts per
second for:
  - the baseline: `TextBlob(text).sentiment` over the texts, in this process;
  - `carebot tag` end to end: a new process that starts, loads the tagger, reads the texts
    from a CSV file and writes a tagged CSV (start-up included);
  - the tagger in this process, for comparison.
The target is an end-to-end ratio of at least 0.5 for `carebot tag --fast` (rules and
models of the words: what a bulk file needs); the full tagger, which also runs the
sentence encoder (tens of ms a text), is timed on the first FULL_SAMPLE texts and printed
beside it. It also prints how long a new process takes to load the tagger (target: under
2 s), and each live message's tagging time on the social-care messages (the full tagger,
and --fast; target: p95 under 50 ms), with the peak memory of a new process that loads
the tagger and tags one message (budget: MEMORY_BUDGET MB RSS; --fast: 120 MB).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "feedback-dev.csv"
TEAM = HERE / "data" / "social-care-comments.csv"
CODED = [HERE.parent.parent / "shared" / "data" / name
         for name in ("social-care-dev.tsv", "social-care-dev-2.tsv")]
CAREBOT = Path(sys.executable).with_name("carebot")
FULL_SAMPLE = 2_000
MEMORY_BUDGET = 220  # MB: the bot's budget with the sentence encoder (120 without)
LOAD = ("import time; started = time.perf_counter(); "
        "from understanding.tagger import Tagger; Tagger(); "
        "print(time.perf_counter() - started)")


# Peak resident memory from /proc (VmHWM): getrusage's ru_maxrss would report this
# process's own peak in the child, as Linux keeps it across exec.
MEMORY = ("import sys; from carebot.understanding.tagger import Tagger; "
          "Tagger(fast=sys.argv[1] == 'fast').tag('nobody came today'); "
          "print(next(int(line.split()[1]) for line in open('/proc/self/status') "
          "if line.startswith('VmHWM')) / 1024)")


def comments(n: int) -> list[str]:
    source, column = (SHARED, "feedback") if SHARED.exists() else (TEAM, "text")
    with source.open(encoding="utf-8", newline="") as handle:
        texts = [row[column] for row in csv.DictReader(handle) if row[column].strip()]
    return list(itertools.islice(itertools.cycle(texts), n))


def rate(work: list[str], one: Callable[[str], object]) -> float:
    started = time.perf_counter()
    for text in work:
        one(text)
    return len(work) / (time.perf_counter() - started)


def messages() -> list[str]:
    """Social-care messages as carebot hears them (the team's comments if shared/ is not
    beside this checkout)."""
    found = [row["text"] for path in CODED if path.exists()
             for row in csv.DictReader(path.open(encoding="utf-8", newline=""),
                                       delimiter="\t")]
    return found or comments(500)


def latency(texts: list[str], one: Callable[[str], object]) -> tuple[float, float]:
    """Milliseconds to tag one message: (median, 95th percentile)."""
    times = []
    for text in texts:
        started = time.perf_counter()
        one(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95)]


def end_to_end(work: list[str], folder: Path, *, fast: bool) -> float:
    """Texts per second for `carebot tag` on a CSV of the texts, start-up included."""
    source, target = folder / "comments.csv", folder / "tagged.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(enumerate(work))
    started = time.perf_counter()
    subprocess.run([str(CAREBOT), "tag", *(["--fast"] if fast else []), str(source),
                    str(target)], check=True, stdout=subprocess.DEVNULL)
    return len(work) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    loads = [float(subprocess.run([sys.executable, "-c", LOAD], check=True, text=True,
                                  capture_output=True).stdout) for _ in range(3)]
    from textblob import TextBlob

    from carebot.understanding.tagger import Tagger

    work = comments(args.n)
    blob = rate(work, lambda text: TextBlob(text).sentiment)
    sample = work[:FULL_SAMPLE]
    with tempfile.TemporaryDirectory() as folder:
        whole_fast = end_to_end(work, Path(folder), fast=True)
        whole = end_to_end(sample, Path(folder), fast=False)
    tagger = Tagger()
    fast = Tagger(fast=True)
    inside_fast = rate(work, fast.tag)
    inside = rate(sample, tagger.tag)
    live = messages()
    median, p95 = latency(live, tagger.tag)
    fast_median, fast_p95 = latency(live, fast.tag)
    peak, peak_fast = (float(subprocess.run([sys.executable, "-c", MEMORY, kind], check=True,
                                            text=True, capture_output=True).stdout)
                       for kind in ("full", "fast"))
    print(f"texts: {len(work)}")
    print(f"tagger load in a new process: {sorted(loads)[1]:.2f} s "
          f"(min {min(loads):.2f}, max {max(loads):.2f}; target: under 2 s)")
    print(f"TextBlob(text).sentiment (baseline): {blob:,.0f} texts/s")
    print(f"carebot tag --fast, end to end:     {whole_fast:,.0f} texts/s")
    print(f"tagger --fast in this process:      {inside_fast:,.0f} texts/s")
    print(f"ratio (carebot tag --fast / TextBlob): {whole_fast / blob:.2f}  "
          "(target: at least 0.50)")
    print(f"ratio (--fast in process / TextBlob):  {inside_fast / blob:.2f}")
    print(f"with the sentence encoder ({len(sample)} texts): carebot tag end to end "
          f"{whole:,.0f} texts/s, in this process {inside:,.0f} texts/s")
    print(f"one live message ({len(live)}): median {median:.2f} ms, p95 {p95:.2f} ms "
          f"(target: p95 under 50 ms); --fast median {fast_median:.2f} ms, "
          f"p95 {fast_p95:.2f} ms")
    print(f"a new process that loads the tagger and tags one message: peak {peak:.0f} MB "
          f"RSS (budget: {MEMORY_BUDGET} MB); --fast {peak_fast:.0f} MB (budget: 120 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
