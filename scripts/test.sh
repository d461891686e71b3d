#!/usr/bin/env bash
# `npm test`: the whole suite on embedded PGlite, then again on real PostgreSQL + pgvector when DATABASE_URL is set
# (CI sets it: see .ci/run). Each test file creates and drops its own database there.
set -euo pipefail
cd "$(dirname "$0")/.."


echo "== typecheck"
npx --no-install tsc --noEmit -p tsconfig.json

echo "== tests on PGlite (embedded)"
env -u DATABASE_URL npx --no-install vitest run "$@"

if [[ -n "${DATABASE_URL:-}" ]]; then
  echo "== tests on PostgreSQL (${DATABASE_URL%%@*}@…)"
  TEST_DATABASE_URL="$DATABASE_URL" env -u DATABASE_URL npx --no-install vitest run "$@"
else
  echo "== PostgreSQL run skipped: DATABASE_URL is not set (CI sets it; see README)"
fi
