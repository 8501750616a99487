"""Peak memory of `factcheck build-index` over a generated corpus (hash embedder).

    python scripts/measure_build_memory.py --megabytes 50 [--workdir /tmp/fc-memory] [--incremental 1]

Writes distinct small articles (the example articles with their numbers varied) until the corpus
holds the requested size, runs build-index in a child process and prints its peak RSS. With
`--incremental P` it then adds P% more articles and edits as many existing ones, and measures
the build that updates the index (reusing the previous version's vectors).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_corpus(folder: Path, megabytes: float, *, start: int = 0, files: int | None = None) -> tuple[int, int]:
    folder.mkdir(parents=True, exist_ok=True)
    bases = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "corpus").glob("*.txt"))]
    total, count = 0, start
    while (total < megabytes * 1_000_000) if files is None else (count < start + files):
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + count + 1), bases[count % len(bases)])
        path = folder / f"{count // 1000:04d}" / f"a{count:07d}.txt"
        path.parent.mkdir(exist_ok=True)
        total += path.write_bytes(text.encode("utf-8"))
        count += 1
    return count - start, total


def build(workdir: Path) -> tuple[float, float]:
    """Run build-index in a child process; (seconds, its own peak RSS in MB)."""
    started = time.monotonic()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factcheck.cli",
            "build-index",
            str(workdir / "corpus"),
            "--index",
            str(workdir / "index"),
            "--embedder",
            "hash",
            "-q",
        ],
        cwd=ROOT,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"build-index failed with exit code {child.returncode}")
    return time.monotonic() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/fc-memory"))
    parser.add_argument("--incremental", type=float, default=0, metavar="PERCENT")
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    count, total = write_corpus(args.workdir / "corpus", args.megabytes)
    print(f"corpus: {count} files, {total / 1e6:.1f} MB", flush=True)
    seconds, peak_mb = build(args.workdir)
    print(f"build-index: {seconds:.0f} s, peak RSS {peak_mb:.0f} MB", flush=True)
    if args.incremental:
        more = max(1, round(count * args.incremental / 100))
        write_corpus(args.workdir / "corpus", 0, start=count, files=more)
        for path in sorted((args.workdir / "corpus").rglob("*.txt"))[:more]:  # edited: replaces its old version
            path.write_text(
                path.read_text(encoding="utf-8") + "\nA correction was added later by the editors.\n", encoding="utf-8"
            )
        seconds, peak_mb = build(args.workdir)
        print(f"incremental build-index (+{more} files, {more} edited): {seconds:.0f} s, peak RSS {peak_mb:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
