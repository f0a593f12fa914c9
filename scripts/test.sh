#!/usr/bin/env bash
# The test command: every Rust test (unit, storage conformance and core's rules on SQLite and
# PostgreSQL, integration tests that spawn the real binary and drive it with
# aws-sdk-iam/aws-sdk-sts, the console's tests in headless Chromium), then the real AWS CLI
# smoke test. A private PostgreSQL (installed from the distribution's packages when missing)
# runs for the duration: see scripts/pg.sh.
# Run from anywhere: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
# shellcheck source=scripts/pg.sh
source scripts/pg.sh
pg_start

# The console's browser tests drive Debian's headless Chromium through chromedriver: install
# them when missing (root, or sudo without a password), and make those tests required.
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo -n"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver
fi
export PORTCULLIS_REQUIRE_BROWSER=1

cargo test --workspace --locked
# The integration families that write, a second time with every `dev` server on PostgreSQL (a
# fresh schema each).
PORTCULLIS_IT_ON_POSTGRES=1 cargo test --locked -p portcullis --test integration -- \
    users:: access_keys:: managed_policies:: inline_policies:: roles:: groups:: mfa passwords \
    password_policy
# PostgreSQL stopped for 10 s under load (several_nodes_failures): it stops and starts the test
# cluster (pg.sh's pg_control), so it runs alone, after every other test that uses the cluster
# (and only on a cluster pg.sh started, not on a PORTCULLIS_TEST_DATABASE_URL given outside).
if [ -n "${PG_TEST_DIR:-}" ]; then
  PORTCULLIS_TEST_PG_CONTROL=1 cargo test --locked -p portcullis --test integration -- \
      several_nodes_failures::postgres_stopped --test-threads=1
fi
# `cargo test` built the binary for the integration tests (with the same features): reuse it
# rather than building the server a second time with a different feature set.
PORTCULLIS_BIN="$target/debug/portcullis" bash scripts/awscli-smoke.sh
