#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the SQL-driver tests, the same way on a
# developer machine and in CI: install Debian's package when missing, start the cluster,
# and give the `postgres` role the password the tests use. Listens on 127.0.0.1 only.
# Prints the connection URL the tests read from PSA_TEST_PG_URL.
set -euo pipefail
PORT="${PSA_TEST_PG_PORT:-5432}"
PASSWORD="${PSA_TEST_PG_PASSWORD:-psa-clean-test}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  echo "pg-up: installing postgresql from Debian's packages" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

read -r VER CLUSTER _PORT STATUS _rest < <(pg_lsclusters -h | head -1)
if [ "$STATUS" != "online" ]; then
  echo "pg-up: starting cluster $VER/$CLUSTER" >&2
  $SUDO pg_ctlcluster "$VER" "$CLUSTER" start >&2
fi
# Wait until it accepts connections (bounded: 30 s).
for _ in $(seq 1 60); do
  $SUDO runuser -u postgres -- psql -p "$_PORT" -qAtc 'select 1' >/dev/null 2>&1 && break
  sleep 0.5
done
$SUDO runuser -u postgres -- psql -p "$_PORT" -qAtc "ALTER ROLE postgres PASSWORD '$PASSWORD'" >/dev/null
echo "postgres://postgres:${PASSWORD}@127.0.0.1:${_PORT}/postgres"
