#!/usr/bin/env bash
# Runs BASE Agency locally: a PostgreSQL (started here unless ConnectionStrings__Postgres is set),
# the schema, the seed data and, in Development, a demo organization. Ctrl+C stops the service.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_shim_package
ensure_postgres
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DataDirectory="${DataDirectory:-$DATA_DIR}"
URL="${BASEAGENCY_URL:-http://localhost:5080}"

log "Building and starting BASE Agency ($ASPNETCORE_ENVIRONMENT) on $URL"
exec dotnet run --project src/BaseAgency -c Release --no-launch-profile -- --urls "$URL" "$@"
