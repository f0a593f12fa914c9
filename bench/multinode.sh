#!/usr/bin/env bash
# multinode.sh — runs bench/multinode.py (three serve nodes on one PostgreSQL: how fast a change
# on one node is enforced on the others) against a private PostgreSQL started by scripts/pg.sh,
# with botocore from the awscli venv that scripts/test.sh installs. Build first (cargo build
# --release) or set PORTCULLIS_BIN. (kill -9 during a write burst and PostgreSQL stopped under
# load are integration tests now: several_nodes_failures, run by scripts/test.sh.)
# Environment: PORTCULLIS_BIN [target/release/portcullis]  PORTCULLIS_VENV [~/.cache/portcullis/venv]
#              CHANGES [1000]
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
"$VENV/bin/python" bench/multinode.py
