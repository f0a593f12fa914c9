#!/usr/bin/env bash
# The test command: every Rust test (unit, storage conformance, integration tests that spawn
# the real binary and drive it with aws-sdk-iam/aws-sdk-sts), then the real AWS CLI smoke test.
# Run from anywhere: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

cargo test --workspace --locked
# `cargo test` built the binary for the integration tests (with the same features): reuse it
# rather than building the server a second time with a different feature set.
PORTCULLIS_BIN="$target/debug/portcullis" bash scripts/awscli-smoke.sh
