#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on 127.0.0.1 for the tests.
#   source scripts/services.sh; services_start; ...; services_stop
# services_start exports TMDASH_TEST_PG and TMDASH_TEST_REDIS.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

services_start() {
    SERVICES_DIR=$(mktemp -d /tmp/tmdash-svc.XXXXXX)
    chmod 755 "$SERVICES_DIR"
    local pg_port redis_port
    pg_port=$(free_port 55432)
    redis_port=$(free_port 56379)
    mkdir -p "$SERVICES_DIR/pg"
    local as_pg=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$SERVICES_DIR/pg"
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$PG_BIN/initdb" -D "$SERVICES_DIR/pg/data" -U tmdash --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$SERVICES_DIR/initdb.log" 2>&1 || { cat "$SERVICES_DIR/initdb.log"; return 1; }
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $SERVICES_DIR/pg -c fsync=off -c max_connections=200" \
        start >/dev/null || { cat "$SERVICES_DIR/pg/server.log"; return 1; }
    export TMDASH_TEST_PG="postgresql://tmdash@127.0.0.1:$pg_port/postgres"
    export TMDASH_TEST_PG_DATA="$SERVICES_DIR/pg/data"
    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
        --pidfile "$SERVICES_DIR/redis.pid" --dir "$SERVICES_DIR" --logfile "$SERVICES_DIR/redis.log" >/dev/null
    for _ in $(seq 1 100); do
        redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
        sleep 0.05
    done
    export TMDASH_TEST_REDIS="redis://127.0.0.1:$redis_port"
    echo "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
}

services_stop() {
    [ -n "${SERVICES_DIR:-}" ] || return 0
    if [ -n "${TMDASH_TEST_REDIS:-}" ]; then
        redis-cli -p "${TMDASH_TEST_REDIS##*:}" shutdown nosave >/dev/null 2>&1 || true
    fi
    if [ -d "$SERVICES_DIR/pg/data" ]; then
        local as_pg=()
        [ "$(id -u)" -ne 0 ] || as_pg=(runuser -u postgres --)
        "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$SERVICES_DIR"
    unset SERVICES_DIR TMDASH_TEST_PG TMDASH_TEST_REDIS TMDASH_TEST_PG_DATA
}
