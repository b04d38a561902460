#!/usr/bin/env bash
# Takes the dashboard's screenshots for api/README.md, "The dashboard" (docs/dashboard/*.png) and prints its load-time
# benchmark, with headless Chromium (scripts/services.sh install) over the sample's Parquet store
# plus a made-up video live for the last 24 hours (org.livemetrics.api.DashboardTour).
#
#   scripts/screenshots.sh [--store DIR] [--runs N] [--serve-only]
#
# Without --store it backfills the checked-in sample into .work/sample-store first (~30 s).
# --serve-only starts the server and prints the dashboard's URL with its token, for a look by hand.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
store=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || scripts/services.sh chromium
nice -n 10 mvn -B -q -pl api -am test-compile dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/test-cp.txt
cp="api/target/test-classes:api/target/classes:$(cat api/target/test-cp.txt)"
if [ -z "$store" ]; then
  store=.work/sample-store
  if [ ! -d "$store/aggregates" ]; then
    java -cp "$cp" org.livemetrics.api.SampleStore "$store"
  fi
fi
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" org.livemetrics.api.DashboardTour --store "$store" --out docs/dashboard ${args[@]+"${args[@]}"}
