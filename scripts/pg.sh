#!/usr/bin/env bash
# A private PostgreSQL for tests: `source scripts/pg.sh && pg_start` installs Debian's
# `postgresql` package when no server is installed, creates a cluster in a temporary directory
# (initdb, as the `postgres` user when run as root: PostgreSQL refuses to run as root), starts it
# on a free loopback port with `synchronous_commit=on`, exports PORTCULLIS_TEST_DATABASE_URL and
# stops and removes it when the shell exits. The cluster also speaks TLS with a throw-away CA
# (PG_TEST_CA) when openssl is installed; the URL asks for plain text. Run directly
# (`scripts/pg.sh CMD...`) it runs CMD with the variable set. A PORTCULLIS_TEST_DATABASE_URL
# already set is used as it is.

pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && echo "$d"
    done | sort -V | tail -n 1
}

pg_install() {
    [ -n "$(pg_bindir)" ] && return 0
    echo "pg.sh: installing PostgreSQL from the distribution's packages" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_stop() {
    if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ]; then
        pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_TEST_DIR"
    fi
    PG_TEST_DIR=""
}

# Stops (`pg_control stop`, fast shutdown: sessions are cut) or starts the running test cluster
# again with its options; the benchmarks use it to take PostgreSQL away under load.
pg_control() {
    case "$1" in
    stop) pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null ;;
    start)
        pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
            -o "$(cat "$PG_TEST_DIR/options")" start >/dev/null || {
            cat "$PG_TEST_DIR/server.log" >&2
            return 1
        }
        ;;
    esac
}

# A throw-away CA and a server certificate it signs (for localhost and 127.0.0.1), made with
# openssl when it is installed, so that tests can connect with sslmode=verify-full (PG_TEST_CA).
pg_certificates() {
    command -v openssl >/dev/null || return 1
    local d="$PG_TEST_DIR" ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -days 3 -subj "/CN=portcullis test CA" \
        -keyout "$d/ca.key" -out "$d/ca.crt" >/dev/null 2>&1 &&
        openssl req "${ec[@]}" -subj "/CN=localhost" -keyout "$d/server.key" \
            -out "$d/server.csr" >/dev/null 2>&1 &&
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/server.ext" &&
        openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
            -days 3 -extfile "$d/server.ext" -out "$d/server.crt" >/dev/null 2>&1 || return 1
    chmod 600 "$d/server.key"
    [ "$(id -u)" -eq 0 ] && chown postgres "$d/server.key" "$d/server.crt"
    return 0
}

pg_start() {
    if [ -n "${PORTCULLIS_TEST_DATABASE_URL:-}" ]; then
        return 0
    fi
    pg_install || return 1
    PG_TEST_BIN="$(pg_bindir)"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    PG_TEST_DIR="$(mktemp -d /tmp/portcullis-pg.XXXXXX)"
    chmod 755 "$PG_TEST_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_TEST_DIR"
    local port
    port="$(pg_free_port)"
    pg_as_owner "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 || {
        cat "$PG_TEST_DIR/initdb.log" >&2
        return 1
    }
    local ssl=""
    if pg_certificates; then
        ssl="-c ssl=on -c ssl_cert_file=$PG_TEST_DIR/server.crt -c ssl_key_file=$PG_TEST_DIR/server.key"
        export PG_TEST_CA="$PG_TEST_DIR/ca.crt"
    fi
    echo "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c max_connections=400 -c synchronous_commit=on -c shared_buffers=64MB $ssl" >"$PG_TEST_DIR/options"
    export PG_TEST_DIR PG_TEST_BIN PG_TEST_PORT="$port"
    pg_control start || return 1
    # Plain text unless a test asks for TLS (its cost stays out of the benchmarks).
    export PORTCULLIS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    trap pg_stop EXIT
    echo "pg.sh: PostgreSQL $("$PG_TEST_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    pg_start
    "$@"
fi
