#!/usr/bin/env bash
# Installs the real local servers the tests and the demo use (no Docker here):
#   s3rver     (npm)  an S3-compatible object store
#   kinesalite (npm)  a Kinesis-compatible stream server
# Elasticsearch runs in-JVM from Maven Central (org.codelibs elasticsearch-cluster-runner), so it
# needs no install step. Everything lands under .work/services (git-ignored); re-running is cheap.
#
#   scripts/services.sh install     install (or verify) the servers
#   scripts/services.sh path        print the install directory
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.work/services"
S3RVER_VERSION=3.7.1
KINESALITE_VERSION=3.3.3

installed() {
  [ -x "$dir/node_modules/.bin/s3rver" ] && [ -x "$dir/node_modules/.bin/kinesalite" ] &&
    grep -q "\"version\": \"$S3RVER_VERSION\"" "$dir/node_modules/s3rver/package.json" &&
    grep -q "\"version\": \"$KINESALITE_VERSION\"" "$dir/node_modules/kinesalite/package.json"
}

case "${1:-install}" in
  install)
    if installed; then
      echo "services: s3rver $S3RVER_VERSION and kinesalite $KINESALITE_VERSION already in $dir"
      exit 0
    fi
    command -v npm >/dev/null || { echo "services: npm is required (apt-get install -y nodejs npm)" >&2; exit 1; }
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"name":"livemetrics-services","private":true}' > "$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --silent \
      "s3rver@$S3RVER_VERSION" "kinesalite@$KINESALITE_VERSION")
    installed || { echo "services: install did not produce the expected binaries" >&2; exit 1; }
    echo "services: installed s3rver $S3RVER_VERSION and kinesalite $KINESALITE_VERSION in $dir"
    ;;
  path)
    echo "$dir"
    ;;
  *)
    echo "usage: $0 install|path" >&2
    exit 2
    ;;
esac
