"""How fast the tagger is, against bare TextBlob polarity over the same texts in the same run.

    make bench      (or: .venv/bin/python bench/tagger_speed.py [--n 100000])

Takes N comments (the FFT comments in ../shared/data, repeated as needed, or the team's
social-care comments when shared/ is not beside this checkout) and prints texts per
second for:
  - the baseline: `TextBlob(text).sentiment` over the texts, in this process;
  - `carebot tag` end to end: a new process that starts, loads the tagger, reads the texts
    from a CSV file and writes a tagged CSV (start-up included);
  - the tagger in this process, for comparison.
The target is an end-to-end ratio of at least 0.5. It also prints how long a new process
takes to load the tagger (target: under 2 s), and each live message's tagging time on
the social-care messages (rules and learned risk model, and --fast's rules alone; target:
p95 under 50 ms), with the process's peak memory after loading (budget: 120 MB RSS).
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
LOAD = ("import time; started = time.perf_counter(); "
        "from understanding.tagger import Tagger; Tagger(); "
        "print(time.perf_counter() - started)")


# Peak resident memory from /proc (VmHWM): getrusage's ru_maxrss would report this
# process's own peak in the child, as Linux keeps it across exec.
MEMORY = ("from carebot.understanding.tagger import Tagger; "
          "Tagger().tag('nobody came today'); "
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


def end_to_end(work: list[str], folder: Path) -> float:
    """Texts per second for `carebot tag` on a CSV of the texts, start-up included."""
    source, target = folder / "comments.csv", folder / "tagged.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(enumerate(work))
    started = time.perf_counter()
    subprocess.run([str(CAREBOT), "tag", str(source), str(target)], check=True,
                   stdout=subprocess.DEVNULL)
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
    with tempfile.TemporaryDirectory() as folder:
        whole = end_to_end(work, Path(folder))
    tagger = Tagger()
    inside = rate(work, tagger.tag)
    live = messages()
    median, p95 = latency(live, tagger.tag)
    fast = Tagger(tagger.model, fast=True)
    fast_median, fast_p95 = latency(live, fast.tag)
    peak = float(subprocess.run([sys.executable, "-c", MEMORY], check=True, text=True,
                                capture_output=True).stdout)
    print(f"texts: {len(work)}")
    print(f"tagger load in a new process: {sorted(loads)[1]:.2f} s "
          f"(min {min(loads):.2f}, max {max(loads):.2f}; target: under 2 s)")
    print(f"TextBlob(text).sentiment (baseline): {blob:,.0f} texts/s")
    print(f"carebot tag, end to end:            {whole:,.0f} texts/s")
    print(f"tagger in this process:             {inside:,.0f} texts/s")
    print(f"ratio (carebot tag / TextBlob):     {whole / blob:.2f}  (target: at least 0.50)")
    print(f"ratio (in process / TextBlob):      {inside / blob:.2f}")
    print(f"one live message ({len(live)}): median {median:.2f} ms, p95 {p95:.2f} ms "
          f"(target: p95 under 50 ms); --fast median {fast_median:.2f} ms, "
          f"p95 {fast_p95:.2f} ms")
    print(f"a new process that loads the tagger and tags one message: peak {peak:.0f} MB "
          "RSS (the bot's budget: 120 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
