#!/usr/bin/env bash
# A standalone Flink 1.19 session cluster (one JobManager, one TaskManager with 2 slots, loopback
# only) started from the livemetrics job jar, which carries Flink's runtime: for trying
# `--flinkMaster` and `flink run` without a Flink distribution.
#
#   runners/flink/local-cluster.sh start [port]   REST/UI on 127.0.0.1:<port> (default 18081)
#   runners/flink/local-cluster.sh stop
#
# Then: bin/livemetrics backfill --runner=FlinkRunner --flinkMaster=127.0.0.1:18081 ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="${LIVEMETRICS_JAR:-$root/runners/target/livemetrics.jar}"
work="${FLINK_LOCAL_DIR:-$root/.work/flink-cluster}"

case "${1:-}" in
  start)
    port="${2:-18081}"
    [ -f "$jar" ] || { echo "no job jar at $jar: run bin/livemetrics help (or mvn -DskipTests -pl runners -am package) first" >&2; exit 1; }
    mkdir -p "$work/conf" "$work/log"
    sed "s/^rest.port: .*/rest.port: $port/" "$here/conf/flink-conf.yaml" > "$work/conf/flink-conf.yaml"
    java -Xmx768m -Dlog.file="$work/log/jobmanager.log" -cp "$jar" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$work/conf" \
      > "$work/log/jobmanager.out" 2>&1 &
    echo $! > "$work/jobmanager.pid"
    # Heap = framework + task heap; direct memory = framework + task off-heap + network.
    java -Xms1024m -Xmx1024m -XX:MaxDirectMemorySize=640m -XX:MaxMetaspaceSize=256m \
      -Dlog.file="$work/log/taskmanager.log" -cp "$jar" \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$work/conf" \
      > "$work/log/taskmanager.out" 2>&1 &
    echo $! > "$work/taskmanager.pid"
    for _ in $(seq 1 120); do
      overview="$(curl -sf "http://127.0.0.1:$port/overview" || true)"
      if [[ "$overview" == *'"taskmanagers":1'* ]]; then
        echo "flink: session cluster up at 127.0.0.1:$port (logs in $work/log)"
        exit 0
      fi
      sleep 0.5
    done
    echo "flink: the cluster did not come up; see $work/log" >&2
    "$0" stop || true
    exit 1
    ;;
  stop)
    for p in taskmanager jobmanager; do
      if [ -f "$work/$p.pid" ]; then
        kill "$(cat "$work/$p.pid")" 2>/dev/null || true
        rm -f "$work/$p.pid"
      fi
    done
    echo "flink: stopped"
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
