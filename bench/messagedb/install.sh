#!/usr/bin/env bash
# Installs Message DB (@eventide/message-db, pinned in package.json) into a database of its own with the
# package's own install script, as its README documents. bench/storebench runs this when the database is
# missing; it needs npm and psql on PATH.
#
# Environment (all optional):
#   DATABASE_NAME  database to create (default crossdock_bench_messagedb); read by the package's script
#   PGHOST, PGPORT, PGUSER  server and administrative role psql and createdb use
#                           (default 127.0.0.1, 5432, postgres)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DATABASE_NAME="${DATABASE_NAME:-crossdock_bench_messagedb}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"

npm ci --no-audit --no-fund
node_modules/@eventide/message-db/database/install.sh
