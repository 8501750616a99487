#!/usr/bin/env bash
# Set up, index the bundled example corpus and check the example claims; leaves a report in reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
.venv/bin/factcheck build-index examples/corpus --index indexes/example
.venv/bin/factcheck verify --index indexes/example --claims-file examples/claims.txt --report reports/example-claims.md
.venv/bin/factcheck verify --index indexes/example --all --report reports/example-all.md \
  --html reports/example-all.html --claimreview reports/example-all.claimreview.jsonld
echo "Open reports/example-claims.md (claims) and reports/example-all.md or .html (cross-reference of all articles);"
echo "reports/example-all.claimreview.jsonld holds the verdicts as schema.org ClaimReview."
