#!/usr/bin/env bash
# The test command: every Rust test (unit, storage conformance and core's rules on SQLite and
# PostgreSQL, integration tests that spawn the real binary and drive it with
# aws-sdk-iam/aws-sdk-sts), then the real AWS CLI smoke test. A private PostgreSQL (installed
# from the distribution's packages when missing) runs for the duration: see scripts/pg.sh.
# Run from anywhere: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
# shellcheck source=scripts/pg.sh
source scripts/pg.sh
pg_start

cargo test --workspace --locked
# The integration families that write, a second time with every `dev` server on PostgreSQL (a
# fresh schema each).
PORTCULLIS_IT_ON_POSTGRES=1 cargo test --locked -p portcullis --test integration -- \
    users:: access_keys:: managed_policies:: inline_policies:: roles:: groups:: mfa passwords \
    password_policy
# `cargo test` built the binary for the integration tests (with the same features): reuse it
# rather than building the server a second time with a different feature set.
PORTCULLIS_BIN="$target/debug/portcullis" bash scripts/awscli-smoke.sh
