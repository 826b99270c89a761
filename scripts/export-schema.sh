#!/usr/bin/env bash
# Regenerates db/*.sql from the code's Marten and Wolverine configuration, with their own `db-dump`.
# Operators who turn off Database:ApplyChangesOnStartup apply these files themselves.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_shim_package
ensure_postgres
export ASPNETCORE_ENVIRONMENT=Development DataDirectory="$DATA_DIR"
dotnet build src/BaseAgency -c Release --nologo -v quiet >&2
for target in "marten://store/ db/marten.sql" "wolverine://messages/main db/wolverine.sql"; do
  set -- $target
  dotnet run --project src/BaseAgency -c Release --no-launch-profile --no-build -- db-dump "$REPO_ROOT/$2" -d "$1" >/dev/null
  log "Wrote $2"
done
