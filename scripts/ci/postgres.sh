#!/usr/bin/env bash
# Ensure a local PostgreSQL 15 with pgvector is installed and running for CI
# (Debian 12 bookworm, run as root or with sudo). Idempotent: safe to re-run.
#
# stdout: exactly one line, the connection URL.
# stderr: progress, prefixed with "[postgres] ".
set -euo pipefail

PG_MAJOR=15
PG_CLUSTER=main
PG_PORT=5432
DB_USER=kg
DB_PASS=kg
DB_NAME=kg
DATABASE_URL="postgresql://${DB_USER}:${DB_PASS}@127.0.0.1:${PG_PORT}/${DB_NAME}"

PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
VECTOR_CONTROL="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
SRC_LIST=/etc/apt/sources.list.d/kg-ci-trixie-src.sources

# Keep stdout clean: everything goes to stderr, the final URL goes to fd 3.
exec 3>&1 1>&2

log() { echo "[postgres] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'rc=$?; log "FAILED (exit $rc) at line $LINENO: $BASH_COMMAND"' ERR

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
as_postgres() { (cd / && $SUDO runuser -u postgres -- "$@"); }

export DEBIAN_FRONTEND=noninteractive
apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 "$@"; }

# Run a noisy command with its output captured; show the tail only if it fails.
quietly() {
  local out rc
  out="$(mktemp)"
  if "$@" >"$out" 2>&1; then rm -f "$out"; return 0; else rc=$?; fi
  tail -n 40 "$out" >&2
  rm -f "$out"
  return "$rc"
}

TOTAL_START=$SECONDS
PHASE_NAME="" PHASE_START=0
phase() { PHASE_NAME=$1; PHASE_START=$SECONDS; log "$1 ..."; }
phase_done() { log "$PHASE_NAME: done in $((SECONDS - PHASE_START))s"; }

BUILD_DIR=""
cleanup() {
  if [ -n "$BUILD_DIR" ]; then $SUDO rm -rf "$BUILD_DIR"; fi
  # The trixie deb-src entry is only needed for the download; don't leave it behind.
  if [ -f "$SRC_LIST" ]; then $SUDO rm -f "$SRC_LIST"; fi
}
trap cleanup EXIT

# Debian archive URL this machine already uses (e.g. http://deb.debian.org/debian),
# read from the apt sources (one-line .list and deb822 .sources formats).
debian_archive_uri() {
  local files=()
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$SRC_LIST" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 1
  sed -E 's/#.*$//' "${files[@]}" \
    | sed -nE -e 's/^[[:space:]]*URIs:[[:space:]]*//p' \
              -e 's/^[[:space:]]*deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\3/p' \
    | tr ' \t' '\n\n' \
    | grep -E '^https?://[^[:space:]]+/debian(/[0-9]{8}T[0-9]{6}Z)?/?$' \
    | head -n1
}

# --- 1. What is missing? ------------------------------------------------------
need_server=false need_vector=false need_build_tools=false
[ -x "$PG_BIN/postgres" ] || need_server=true
[ -f "$VECTOR_CONTROL" ] || need_vector=true
command -v make >/dev/null && command -v gcc >/dev/null && command -v dpkg-source >/dev/null \
  || need_build_tools=true

# --- 2. Install packages (only if something is missing) -----------------------
if $need_server || $need_vector; then
  phase "apt: install packages"
  if $need_vector; then
    # Source-only entry for trixie: apt never installs/upgrades binaries from a deb-src line.
    uri="$(debian_archive_uri)" || true
    [ -n "${uri:-}" ] || die "could not find the Debian archive URL in /etc/apt/sources.list{,.d/*}"
    log "adding deb-src trixie main from $uri"
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$uri" | $SUDO tee "$SRC_LIST" >/dev/null
  fi
  quietly apt_get update
  pkgs=()
  $need_server && pkgs+=("postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}")
  $need_vector && pkgs+=("postgresql-server-dev-${PG_MAJOR}")
  $need_vector && $need_build_tools && pkgs+=(build-essential)
  log "apt-get install ${pkgs[*]}"
  quietly apt_get install -y --no-install-recommends "${pkgs[@]}"
  phase_done
else
  log "PostgreSQL ${PG_MAJOR} and pgvector already installed; skipping apt"
fi

# --- 3. Cluster exists and is running on 127.0.0.1:5432 -----------------------
phase "cluster ${PG_MAJOR}/${PG_CLUSTER}"
if [ -z "$(pg_lsclusters -h "$PG_MAJOR" "$PG_CLUSTER" 2>/dev/null || true)" ]; then
  log "creating cluster ${PG_MAJOR}/${PG_CLUSTER} on port ${PG_PORT}"
  $SUDO pg_createcluster --port "$PG_PORT" "$PG_MAJOR" "$PG_CLUSTER"
fi
read -r _ _ port status _ < <(pg_lsclusters -h "$PG_MAJOR" "$PG_CLUSTER")
if [ "$port" != "$PG_PORT" ]; then
  log "cluster is on port $port; moving it to $PG_PORT"
  [ "$status" = online ] && $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" stop 3>&- >/dev/null 2>&1
  $SUDO pg_conftool "$PG_MAJOR" "$PG_CLUSTER" set port "$PG_PORT"
  status=down
fi
if [ "$status" != online ]; then
  log "starting cluster"
  if ! $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" start 3>&- </dev/null >>"${TMPDIR:-/tmp}/kg-pg-start.log" 2>&1; then
    tail -n 30 "/var/log/postgresql/postgresql-${PG_MAJOR}-${PG_CLUSTER}.log" >&2 || true
    die "could not start cluster ${PG_MAJOR}/${PG_CLUSTER}"
  fi
fi
for _ in $(seq 1 30); do
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 1
done
"$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" >&2 || die "PostgreSQL is not accepting connections on 127.0.0.1:${PG_PORT}"
phase_done

# --- 4. pgvector, built from Debian's trixie source package -------------------
if $need_vector; then
  phase "pgvector: download and build"
  BUILD_DIR="$(mktemp -d /var/tmp/kg-pgvector.XXXXXX)"
  # Let apt's unprivileged _apt user write the download (avoids a sandbox warning).
  if id _apt >/dev/null 2>&1; then $SUDO chown _apt "$BUILD_DIR"; fi
  (cd "$BUILD_DIR" && quietly apt_get source --download-only pgvector/trixie)
  dsc="$(ls "$BUILD_DIR"/pgvector_*.dsc | head -n1)"
  log "unpacking $(basename "$dsc")"
  # (dpkg-source warns it cannot check the uploader's signature; apt already
  #  verified the files' checksums against the signed archive index.)
  (cd "$BUILD_DIR" && quietly $SUDO dpkg-source -x "$dsc" src)
  # OPTFLAGS="" as in Debian's package: no -march=native, portable build.
  quietly $SUDO make -C "$BUILD_DIR/src" -j"$(nproc)" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""
  quietly $SUDO make -C "$BUILD_DIR/src" install PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""
  [ -f "$VECTOR_CONTROL" ] || die "pgvector install did not produce $VECTOR_CONTROL"
  log "installed pgvector $(sed -nE "s/^default_version *= *'([^']*)'.*/\1/p" "$VECTOR_CONTROL")"
  phase_done
fi

# --- 5. Role and database ------------------------------------------------------
phase "role '${DB_USER}' and database '${DB_NAME}'"
# Superuser: tests create/drop their own databases and need CREATE EXTENSION.
as_postgres "$PG_BIN/psql" -p "$PG_PORT" -qAtX -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE ${DB_USER} LOGIN SUPERUSER CREATEDB PASSWORD '${DB_PASS}';
  ELSE
    ALTER ROLE ${DB_USER} LOGIN SUPERUSER CREATEDB PASSWORD '${DB_PASS}';
  END IF;
END
\$\$;
SQL
if [ -z "$(as_postgres "$PG_BIN/psql" -p "$PG_PORT" -qAtX -d postgres \
            -c "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" ]; then
  log "creating database ${DB_NAME}"
  as_postgres "$PG_BIN/createdb" -p "$PG_PORT" -O "$DB_USER" "$DB_NAME"
fi
phase_done

# --- 6. Verify over TCP with the password, as the app will connect ------------
phase "verify"
ver="$(PGCONNECT_TIMEOUT=10 PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" "$DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION IF NOT EXISTS vector" \
  -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
[ -n "$ver" ] || die "extension vector is not available in ${DB_NAME}"
log "$("$PG_BIN/psql" "$DATABASE_URL" -qAtX -c 'SHOW server_version') with pgvector $ver"
phase_done

log "ready in $((SECONDS - TOTAL_START))s"
echo "$DATABASE_URL" >&3
