# Shared by scripts/run.sh and scripts/test.sh. Source it from the repository root.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${BASEAGENCY_DATA_DIR:-$REPO_ROOT/.data}"
PG_ROLE=baseagency
PG_PASSWORD=baseagency
PG_DATABASE=baseagency

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# NuGet's copy on our machines lacks Patched.DistributedLock.Core; pack our empty shim into ./.packages.
ensure_shim_package() {
  local pkg="$REPO_ROOT/.packages/Patched.DistributedLock.Core.1.0.11.nupkg"
  if [ ! -f "$pkg" ]; then
    log "Packing the Patched.DistributedLock.Core shim into .packages/"
    dotnet pack "$REPO_ROOT/build/shims/Patched.DistributedLock.Core" -c Release -o "$REPO_ROOT/.packages" --nologo -v quiet >&2
  fi
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

install_postgres_if_missing() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "PostgreSQL is not installed; installing it with apt-get"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; fi
  fi
}

# As root: the machine's own cluster (Debian's pg_ctlcluster). Otherwise: a private cluster under .data/.
start_local_postgres() {
  install_postgres_if_missing
  local version; version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
    pg_lsclusters -h | awk '{print $2}' | grep -qx main || pg_createcluster "$version" main >&2
    local port; port="$(pg_lsclusters -h | awk '$2=="main"{print $3; exit}')"
    local cversion; cversion="$(pg_lsclusters -h | awk '$2=="main"{print $1; exit}')"
    if ! pg_lsclusters -h | awk '$2=="main"{print $4}' | grep -q online; then
      log "Starting PostgreSQL $cversion (cluster main, port $port)"
      pg_ctlcluster --skip-systemctl-redirect "$cversion" main start >&2
    fi
    wait_for_postgres "$port"
    as_postgres psql -p "$port" -tAc "select 1 from pg_roles where rolname='$PG_ROLE'" | grep -q 1 ||
      as_postgres psql -p "$port" -qc "create role $PG_ROLE login createdb password '$PG_PASSWORD'" >&2
    as_postgres psql -p "$port" -tAc "select 1 from pg_database where datname='$PG_DATABASE'" | grep -q 1 ||
      as_postgres psql -p "$port" -qc "create database $PG_DATABASE owner $PG_ROLE template template0 encoding 'UTF8' locale 'C.UTF-8'" >&2
    PG_PORT="$port"
  else
    local bin="/usr/lib/postgresql/$version/bin" pgdata="$DATA_DIR/postgres"
    PG_PORT="${BASEAGENCY_PG_PORT:-55432}"
    if [ ! -f "$pgdata/PG_VERSION" ]; then
      log "Creating a private PostgreSQL cluster in $pgdata"
      mkdir -p "$pgdata"
      local pwfile; pwfile="$(mktemp)"; echo "$PG_PASSWORD" > "$pwfile"
      # UTF-8 whatever the user's locale: a SQL_ASCII cluster refuses every accented name.
      "$bin/initdb" -D "$pgdata" -U "$PG_ROLE" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
      rm -f "$pwfile"
    fi
    if ! "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
      log "Starting the private PostgreSQL on port $PG_PORT"
      "$bin/pg_ctl" -D "$pgdata" -l "$DATA_DIR/postgres.log" -o "-p $PG_PORT -k /tmp -c listen_addresses=localhost" -w start >&2
    fi
    PGPASSWORD="$PG_PASSWORD" psql -h localhost -p "$PG_PORT" -U "$PG_ROLE" -d postgres -tAc \
      "select 1 from pg_database where datname='$PG_DATABASE'" | grep -q 1 ||
      PGPASSWORD="$PG_PASSWORD" psql -h localhost -p "$PG_PORT" -U "$PG_ROLE" -d postgres -qc "create database $PG_DATABASE template template0 encoding 'UTF8' locale 'C.UTF-8'" >&2
  fi
}

wait_for_postgres() {
  for _ in $(seq 1 30); do pg_isready -q -h localhost -p "$1" && return 0; sleep 1; done
  echo "PostgreSQL did not become ready on port $1" >&2; return 1
}

# Sets ConnectionStrings__Postgres, starting a local server when none is configured.
ensure_postgres() {
  if [ -n "${ConnectionStrings__Postgres:-}" ]; then
    log "Using the configured ConnectionStrings__Postgres"
    return
  fi
  start_local_postgres
  export ConnectionStrings__Postgres="Host=localhost;Port=$PG_PORT;Database=$PG_DATABASE;Username=$PG_ROLE;Password=$PG_PASSWORD"
}

install_redis_if_missing() {
  if ! command -v redis-server >/dev/null; then
    log "Redis is not installed; installing it with apt-get"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2; fi
  fi
}

# Sets BASEAGENCY_REDIS (the rate-limit tests' shared Redis), starting a throwaway server when none is configured.
ensure_redis() {
  if [ -n "${BASEAGENCY_REDIS:-}" ]; then
    log "Using the configured BASEAGENCY_REDIS"
    return
  fi
  install_redis_if_missing
  mkdir -p "$DATA_DIR"
  local port="${BASEAGENCY_REDIS_PORT:-56379}"
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    log "Starting a private Redis on port $port (in memory only)"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --logfile "$DATA_DIR/redis.log" >&2
    for _ in $(seq 1 30); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  export BASEAGENCY_REDIS="localhost:$port"
}
