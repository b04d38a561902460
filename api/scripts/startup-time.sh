#!/usr/bin/env bash
# Measures `livemetrics serve` start-up: wall time from starting the JVM to the first successful
# (200) answer, polling every 10 ms. Usage: api/scripts/startup-time.sh <store dir> [runs]
# Needs the api module's runtime class path: run from the repository root after
#   mvn -o -q -pl api compile dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/runtime-cp.txt
set -euo pipefail
store="${1:?usage: startup-time.sh <store dir> [runs]}"
runs="${2:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cp="$root/api/target/classes:$(cat "$root/api/target/runtime-cp.txt")"
# A token and its entry, made by serve itself (tokens have one format and a checksum).
made="$(java -cp "$cp" org.livemetrics.api.ServeCommand --new-token --accounts '*' | grep -v '^#')"
token="$(sed -n 1p <<<"$made")"
export LIVEMETRICS_API_TOKENS="$(sed -n 2p <<<"$made")"
port=18089
url="http://127.0.0.1:$port/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video==6373141262112&bucket_limit=1"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  java ${JAVA_OPTS:-} -cp "$cp" org.livemetrics.api.ServeCommand --store "$store" --port "$port" \
      >/tmp/livemetrics-startup.log 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")" = 200 ]; do
    sleep 0.01
  done
  end=$(date +%s%N)
  echo "run $i: first successful answer $(( (end - start) / 1000000 )) ms after start"
  kill -TERM "$pid"
  wait "$pid" || true
done
