#!/usr/bin/env bash
# Checks the monitoring and deployment files under runners/ (seconds; scripts/test.sh runs it
# before mvn verify):
#   - promtool check rules and promtool test rules on the alerting and recording rules;
#   - scripts/check_monitoring.py: every YAML and JSON file parses, the PrometheusRule holds the
#     rules file's groups, runbook links point at headings of the
#     docs they name (docs/operations.md), the PodMonitor's relabelings are
#     flink-metric-relabel.yml's, every PromQL expression (rules, dashboard) names only known
#     metrics, and every dashboard expression passes promtool's parser.
#
#   scripts/check-monitoring.sh                          check
#   scripts/check-monitoring.sh --write-prometheusrule   regenerate runners/kubernetes/prometheusrule.yaml
#
# promtool comes from scripts/services.sh install (LIVEMETRICS_SERVICES_DIR overrides where).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
services="${LIVEMETRICS_SERVICES_DIR:-$("$root/scripts/services.sh" path)}"
promtool="$services/prometheus-2.42.0/usr/bin/promtool"
[ -x "$promtool" ] || { echo "check-monitoring: no promtool at $promtool (run scripts/services.sh install)" >&2; exit 1; }
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null ||
  { echo "check-monitoring: python3 with PyYAML is required (apt-get install -y python3-yaml)" >&2; exit 1; }

cd "$root/runners/monitoring/prometheus"
if [ "${1:-}" != --write-prometheusrule ]; then
  "$promtool" check rules livemetrics-rules.yml
  "$promtool" test rules livemetrics-rules.test.yml
fi
exec python3 "$root/scripts/check_monitoring.py" "$root" "$promtool" "$@"
