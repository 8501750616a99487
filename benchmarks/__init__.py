"""Benchmarks for factcheck: `python -m benchmarks.run [--quick] --json FILE`."""
