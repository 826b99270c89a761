#!/usr/bin/env bash
# Benchmarks (figures, not tests) against a real PostgreSQL: `bash scripts/bench.sh [ledger|jobs|usage|all] [--seconds N] [--workers N] [--samples N]`.
# Each run creates its own database and drops it at the end.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_shim_package
ensure_postgres
# The benchmark measures throughput, not the limits a real tenant would meet.
export RateLimiting__Enabled=false
dotnet run -c Release --project src/BaseAgency.Benchmarks -- "$@"
