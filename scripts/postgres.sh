#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 with trust authentication for the
# user postgres and a database `test`, as the PostgreSQL test run expects
# (LIPA_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test). Does nothing when one
# already answers; otherwise installs (Debian's postgresql, as root) and starts one.
set -euo pipefail
HOST=127.0.0.1 PORT=5432

ready() { pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; }
if ! ready; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL does not answer at $HOST:$PORT. Run:  sudo ./scripts/postgres.sh" >&2
    exit 1
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "== installing Debian postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  conf=/etc/postgresql/$version/main
  # Tests only: local connections without a password.
  if ! grep -q "^host all all 127.0.0.1/32 trust" "$conf/pg_hba.conf"; then
    sed -i '/^[^#]/d' "$conf/pg_hba.conf"
    printf '%s\n' "local all all trust" "host all all 127.0.0.1/32 trust" \
      "host all all ::1/128 trust" >> "$conf/pg_hba.conf"
  fi
  pg_ctlcluster "$version" main start || pg_ctlcluster "$version" main reload
  for _ in $(seq 30); do ready && break; sleep 1; done
  ready || { echo "PostgreSQL did not start" >&2; exit 1; }
fi
psql -h "$HOST" -p "$PORT" -U postgres -d postgres -Atqc \
  "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 ||
  psql -h "$HOST" -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE test"
echo "PostgreSQL answers at $HOST:$PORT"
