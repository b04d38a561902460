#!/usr/bin/env bash
# The project's test command (the README's, and CI's): installs the local servers the tests start
# (s3rver, kinesalite, Elasticsearch), then builds and runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/services.sh install
exec mvn -B -ntp verify "$@"
