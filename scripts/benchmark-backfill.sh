#!/usr/bin/env bash
# The backfill benchmark (figures, not a test): generates >= 5 M events once (kept under
# .work/benchmark), then measures the plain-Java ceiling, DuckDB, and the backfill on the embedded
# FlinkRunner with parallelism 2, each in its own JVM. Extra arguments go to the benchmark:
#   scripts/benchmark-backfill.sh [--events N] [--parallelism P] [--dir DIR] [--backfill-heap 1g]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The backfill phase runs the shaded job jar and its class archive, as bin/livemetrics does.
mvn -B -q -DskipTests ${MVN_FLAGS:-} -pl benchmarks,runners -am package
exec java -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.livemetrics.benchmarks.BackfillBenchmark "$@"
