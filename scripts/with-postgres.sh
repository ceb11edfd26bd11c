#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: initdb in a temporary folder, start on 127.0.0.1:55432
# (or $PGPORT), export SCREENING_TEST_DATABASE_URL, run "$@", then stop the server and remove the folder, whatever
# the command's result. Needs the Debian postgresql package (scripts/system-deps.sh installs it).
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "with-postgres: no PostgreSQL under /usr/lib/postgresql (apt-get install -y postgresql)" >&2; exit 1; }
PORT=${PGPORT:-55432}
DIR=$(mktemp -d /tmp/screening-pg.XXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DIR"; as_pg=(runuser -u postgres --); fi
pg() { (cd "$DIR" && "${as_pg[@]}" "$@"); }  # from a folder the postgres user can enter
pg "$BIN/initdb" -D "$DIR/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >/dev/null
stop() { pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; rm -rf "$DIR"; }
trap stop EXIT
export SCREENING_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
export SCREENING_TEST_PG_CTL="${as_pg[*]} $BIN/pg_ctl -D $DIR/data -l $DIR/log -w"  # tests that restart the server
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT"
"$@"
