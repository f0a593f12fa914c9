#!/usr/bin/env bash
# multinode-throughput.sh — runs bench/multinode-throughput.py (requests/s and latency of one
# `serve` node vs three on one PostgreSQL, same run: a write-heavy and a read-heavy mix) against a
# private PostgreSQL started by scripts/pg.sh, with botocore from a Python venv. Build first
# (cargo build --release) or set PORTCULLIS_BIN.
# Environment: PORTCULLIS_BIN [target/release/portcullis]  PORTCULLIS_VENV [~/.cache/portcullis/venv]
#              CLIENTS [6]  DURATION [10]  ROUNDS [2]  WRITE_POOL [3000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}
export PORTCULLIS_BIN=${PORTCULLIS_BIN:-target/release/portcullis}
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import botocore' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check awscli
fi
# shellcheck source=scripts/pg.sh
source scripts/pg.sh
unset PORTCULLIS_TEST_DATABASE_URL
pg_start
"$VENV/bin/python" bench/multinode-throughput.py
