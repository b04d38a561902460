#!/usr/bin/env bash
# The streaming benchmark (figures, not a test): the streaming pipeline on the embedded FlinkRunner
# with parallelism 2, in three phases, each in its own JVM: engine (an in-process generator source,
# Parquet out), kinesis (the same events read from a local kinesalite stream of --shards shards) and
# freshness (live: Kinesis in, Elasticsearch out, a probe event a second, put → searchable p50/p95).
# Installs the local servers first if needed (scripts/services.sh); generates the N-event archive
# once (kept under .work/benchmark/, shared with benchmark-backfill.sh). Extra arguments go to the
# benchmark:
#   scripts/benchmark-streaming.sh [--events 400000] [--rate 500] [--probes 80] [--warmup 30]
#                                  [--phases engine,kinesis,freshness] [--parallelism 2] [--shards 2]
#                                  [--earlyFiringSeconds 5] [--dir DIR]
# Besides events/s it prints CPU-seconds per 1,000 events: the phase's whole JVM (start-up included),
# and its second half's (steady).
# MVN_FLAGS adds Maven flags to the build (e.g. MVN_FLAGS=-o to build offline). PHASE_JAVA_OPTS adds
# JVM options to each phase's JVM, e.g. a profile of the engine:
#   PHASE_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/engine.jfr,settings=profile \
#     scripts/benchmark-streaming.sh --phases engine --events 200000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/services.sh install
# package, not install: the reactor's classpath points at the modules' own target/ jars.
mvn -B -q -DskipTests ${MVN_FLAGS:-} -pl benchmarks -am package
exec java -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.livemetrics.benchmarks.StreamingBenchmark "$@"
