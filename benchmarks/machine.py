"""Describe the machine a benchmark ran on, and measure child-process peak memory."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path


def describe() -> dict:
    """nproc, CPU model, RAM, load and library versions: what a reader needs to compare figures."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for name in ("numpy", "faiss", "torch", "sentence_transformers", "onnxruntime", "ray"):
        try:
            module = __import__(name)
            versions[name] = getattr(module, "__version__", "?")
        except ImportError:
            continue
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": ram_gib,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def run_child(args: list[str], *, env: dict | None = None, timeout: float | None = None) -> dict:
    """Run `python -m benchmarks.child ...` in a fresh process and return its JSON result.

    The child reports its own peak RSS (VmHWM), so neither this process's memory nor earlier
    children's leaks in (RUSAGE_CHILDREN would give the maximum over all of them).
    """
    import json

    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.child", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"benchmark child {args} failed:\n{stderr[-2000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    result["wall_s"] = round(wall, 2)
    return result


def run_python(args: list[str]) -> None:
    """Run `python ARGS` (a helper step, not a measurement); its output goes to this process's stderr."""
    result = subprocess.run([sys.executable, *args], stdout=sys.stderr, stderr=sys.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed with exit code {result.returncode}")
