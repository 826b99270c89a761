#!/usr/bin/env bash
# Runs every test against a real PostgreSQL. The suite creates its own database for the run and drops it
# afterwards; only the server comes from here (started locally unless ConnectionStrings__Postgres is set).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_shim_package
ensure_postgres
ensure_redis

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
set +e
dotnet test BaseAgency.sln -c Release --nologo --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" \
  --results-directory "$results" "$@"
status=$?
set -e

# One plain closing line a CI reader understands, counted from the test results.
trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -n "$trx" ]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  attr() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  echo "tests: $(attr passed) passed, $(attr failed) failed, $(( $(attr total) - $(attr executed) )) skipped"
fi
exit $status
