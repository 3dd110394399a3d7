#!/bin/sh
# Regenerates docs/RESEARCH.md and docs/research.svg: builds apogee-research in release mode
# and runs it on every benches/*.lua program (a few minutes at most).
# Extra arguments go to apogee-research (--runs N, --reps N, --benches DIR, --out DIR).
set -eu
cd "$(dirname "$0")/.."
cargo build --release --bin apogee-research
"${CARGO_TARGET_DIR:-target}/release/apogee-research" "$@"
