#!/usr/bin/env bash
# Installs the real local servers the tests and the demo use (no Docker here):
#   s3rver        (npm)           an S3-compatible object store
#   kinesalite    (npm)           a Kinesis-compatible stream server
#   Elasticsearch (Maven Central) the integ-test-zip distribution: the real server, without a
#                                 bundled JDK (it runs on this machine's Java 17) and without the
#                                 x-pack plugins beyond security, which the tests turn off
#   Prometheus    (Debian)        the bookworm package unpacked, not installed: promtool checks and
#                                 unit-tests the alerting and recording rules (scripts/check-monitoring.sh)
#   Chromium      (Debian)        chromium and chromium-driver, installed system-wide with apt-get (root):
#                                 the dashboard's browser tests drive it headless through Selenium
# Everything lands under .work/services (git-ignored); re-running only verifies.
#
#   scripts/services.sh install     install (or verify) the servers
#   scripts/services.sh demo        install (or verify) only what `livemetrics demo` runs: s3rver,
#                                   kinesalite (npm) and Elasticsearch (Maven); needs npm and mvn
#   scripts/services.sh chromium    install (or verify) only Chromium and chromedriver
#   scripts/services.sh path        print the install directory
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# LIVEMETRICS_SERVICES_DIR, as the Java side reads it, moves the install elsewhere.
dir="${LIVEMETRICS_SERVICES_DIR:-$root/.work/services}"
S3RVER_VERSION=3.7.1
KINESALITE_VERSION=3.3.3
ES_VERSION=7.17.29
es_home="$dir/elasticsearch-$ES_VERSION"
# Pinned to bookworm's package: promtool's rule syntax and test format follow Prometheus' version.
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1
prometheus_home="$dir/prometheus-2.42.0"

npm_installed() {
  [ -x "$dir/node_modules/.bin/s3rver" ] && [ -x "$dir/node_modules/.bin/kinesalite" ] &&
    grep -q "\"version\": \"$S3RVER_VERSION\"" "$dir/node_modules/s3rver/package.json" &&
    grep -q "\"version\": \"$KINESALITE_VERSION\"" "$dir/node_modules/kinesalite/package.json"
}

es_installed() {
  [ -x "$es_home/bin/elasticsearch" ] && [ -f "$es_home/lib/elasticsearch-$ES_VERSION.jar" ] &&
    [ -f "$es_home/config/jvm.options" ] && [ -d "$es_home/modules/transport-netty4" ]
}

install_npm() {
  if npm_installed; then
    echo "services: s3rver $S3RVER_VERSION and kinesalite $KINESALITE_VERSION already in $dir"
    return
  fi
  command -v npm >/dev/null || { echo "services: npm is required (apt-get install -y nodejs npm)" >&2; exit 1; }
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"livemetrics-services","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --silent \
    "s3rver@$S3RVER_VERSION" "kinesalite@$KINESALITE_VERSION")
  npm_installed || { echo "services: npm install did not produce the expected binaries" >&2; exit 1; }
  echo "services: installed s3rver $S3RVER_VERSION and kinesalite $KINESALITE_VERSION in $dir"
}

install_elasticsearch() {
  if es_installed; then
    echo "services: elasticsearch $ES_VERSION already in $es_home"
    return
  fi
  command -v mvn >/dev/null || { echo "services: mvn is required to fetch Elasticsearch" >&2; exit 1; }
  # Unpack next to the final place and move it there whole, so an interrupted run never leaves
  # a half-unpacked server that looks installed. dependency:unpack needs no project, and reuses
  # ~/.m2 when the zip is already there.
  local staging="$dir/.elasticsearch-staging"
  rm -rf "$staging" "$es_home"
  mkdir -p "$staging"
  # Run outside the project (the plugin keeps its "already unpacked" markers under the current
  # directory) and overwrite regardless of markers, so a re-install really unpacks again. Maven's
  # output (stray colour codes even with -B) is shown only when it fails.
  if ! (cd "$staging" && mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -Dmdep.overWriteReleases=true -DoutputDirectory="$staging" >"$staging/mvn.log" 2>&1); then
    cat "$staging/mvn.log" >&2
    echo "services: could not fetch Elasticsearch $ES_VERSION from Maven Central" >&2
    exit 1
  fi
  mv "$staging/elasticsearch-$ES_VERSION" "$es_home"
  rm -rf "$staging"
  es_installed || { echo "services: the Elasticsearch zip did not unpack as expected into $es_home" >&2; exit 1; }
  echo "services: installed elasticsearch $ES_VERSION in $es_home"
}

prometheus_installed() {
  [ -x "$prometheus_home/usr/bin/promtool" ] && [ -x "$prometheus_home/usr/bin/prometheus" ] &&
    "$prometheus_home/usr/bin/promtool" --version 2>&1 | grep -q "version 2.42.0"
}

install_prometheus() {
  if prometheus_installed; then
    echo "services: prometheus 2.42.0 (promtool) already in $prometheus_home"
    return
  fi
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
    { echo "services: apt-get and dpkg-deb are required to fetch Prometheus (Debian)" >&2; exit 1; }
  # Download and unpack the .deb without installing it (no root needed for that, no service
  # started); staged and moved whole like Elasticsearch.
  local staging="$dir/.prometheus-staging"
  rm -rf "$staging" "$prometheus_home"
  mkdir -p "$staging"
  if ! (cd "$staging" && apt-get download -q "prometheus=$PROMETHEUS_DEB_VERSION" >"$staging/apt.log" 2>&1); then
    # Stale package lists (a fresh container) do not know the version yet: refresh them when we may.
    if [ "$(id -u)" = 0 ]; then
      apt-get update -q >>"$staging/apt.log" 2>&1 || true
    fi
    (cd "$staging" && apt-get download -q "prometheus=$PROMETHEUS_DEB_VERSION" >>"$staging/apt.log" 2>&1) || {
      cat "$staging/apt.log" >&2
      echo "services: could not download the Debian package prometheus=$PROMETHEUS_DEB_VERSION" >&2
      exit 1
    }
  fi
  dpkg-deb -x "$staging"/prometheus_*.deb "$staging/root"
  mv "$staging/root" "$prometheus_home"
  rm -rf "$staging"
  prometheus_installed || { echo "services: the prometheus package did not unpack as expected into $prometheus_home" >&2; exit 1; }
  echo "services: installed prometheus 2.42.0 (promtool) in $prometheus_home"
}

chromium_installed() {
  # zsh comes along: CompletionIT loads the zsh completion script in a real zsh.
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -x /usr/bin/zsh ]
}

install_chromium() {
  if chromium_installed; then
    echo "services: $(/usr/bin/chromium --version 2>/dev/null | head -1) and chromedriver already installed"
    return
  fi
  # Debian's packages, not a downloaded browser: the same build as the chromedriver beside it.
  # They must be installed (not only unpacked): chromium needs its shared-library dependencies.
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null ||
      { echo "services: installing chromium needs root (apt-get install -y chromium chromium-driver)" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium chromium-driver zsh
  chromium_installed || { echo "services: chromium or chromedriver missing after apt-get install" >&2; exit 1; }
  echo "services: installed $(/usr/bin/chromium --version 2>/dev/null | head -1) and chromedriver"
}

case "${1:-install}" in
  install)
    install_npm
    install_elasticsearch
    install_prometheus
    install_chromium
    ;;
  demo)
    install_npm
    install_elasticsearch
    ;;
  chromium)
    install_chromium
    ;;
  path)
    echo "$dir"
    ;;
  *)
    echo "usage: $0 install|demo|chromium|path" >&2
    exit 2
    ;;
esac
