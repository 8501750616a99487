"""Peak memory of `factcheck build-index` over a generated corpus (hash embedder).

    python scripts/measure_build_memory.py --megabytes 50 [--workdir /tmp/fc-memory]

Writes distinct small articles (the example articles with their numbers varied) until the corpus
holds the requested size, runs build-index in a child process and prints its peak RSS.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    folder.mkdir(parents=True, exist_ok=True)
    bases = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "corpus").glob("*.txt"))]
    total, count = 0, 0
    while total < megabytes * 1_000_000:
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + count + 1), bases[count % len(bases)])
        path = folder / f"{count // 1000:04d}" / f"a{count:07d}.txt"
        path.parent.mkdir(exist_ok=True)
        total += path.write_bytes(text.encode("utf-8"))
        count += 1
    return count, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/fc-memory"))
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    count, total = write_corpus(args.workdir / "corpus", args.megabytes)
    print(f"corpus: {count} files, {total / 1e6:.1f} MB", flush=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "build-index", str(args.workdir / "corpus"),
         "--index", str(args.workdir / "index"), "--embedder", "hash", "-q"],
        cwd=ROOT, check=True,
    )
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"build-index: {time.monotonic() - started:.0f} s, peak RSS {peak_mb:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
