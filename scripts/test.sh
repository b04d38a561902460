#!/usr/bin/env bash
# The project's test command (the README's, and CI's): installs the local servers the tests start
# (s3rver, kinesalite, Elasticsearch, promtool), checks the monitoring files and the docs' links,
# then builds and runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/services.sh install
# Alert rules, dashboard and deployment files: seconds, so before the long build.
scripts/check-monitoring.sh
# Every Markdown link and anchor resolves; the front page stays short.
python3 scripts/check-docs.py
exec mvn -B -ntp verify "$@"
