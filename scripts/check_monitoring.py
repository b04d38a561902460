"""The structural checks of scripts/check-monitoring.sh (which runs promtool's own first)."""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

root = pathlib.Path(sys.argv[1])
promtool = sys.argv[2]
write_rule = "--write-prometheusrule" in sys.argv[3:]

RULES = root / "runners/monitoring/prometheus/livemetrics-rules.yml"
PROMETHEUS_RULE = root / "runners/kubernetes/prometheusrule.yaml"
PODMONITOR = root / "runners/kubernetes/podmonitor.yaml"
DASHBOARD = root / "runners/monitoring/grafana/dashboards/livemetrics.json"
# Written on the pipeline-metrics branch; compared when present.
RELABEL = pathlib.Path(os.environ.get(
    "LIVEMETRICS_RELABEL_FILE", root / "runners/monitoring/prometheus/flink-metric-relabel.yml"))
METRICS_DOC = root / "runners/monitoring/METRICS.md"

# Histogram rows of METRICS.md name the base; the series are these.
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum_milliseconds")
# Flink's own metrics (Flink 1.19 documentation, as the Prometheus reporter names them) that the
# dashboard and rules may use.
FLINK_METRICS = {
    "flink_jobmanager_job_lastCheckpointDuration", "flink_jobmanager_job_lastCheckpointSize",
    "flink_jobmanager_job_numberOfFailedCheckpoints", "flink_jobmanager_job_numberOfCompletedCheckpoints",
    "flink_jobmanager_job_numRestarts", "flink_jobmanager_job_uptime",
    "flink_taskmanager_job_task_operator_currentOutputWatermark",
    "flink_taskmanager_job_task_currentInputWatermark",
    "flink_taskmanager_job_task_busyTimeMsPerSecond",
    "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan", "Inf", "NaN"}

errors = []


def fail(message):
    errors.append(message)


def contract_names():
    """The pipeline's metric names, from the tables of METRICS.md (None when it is not there)."""
    if not METRICS_DOC.exists():
        return None
    names = set()
    for line in METRICS_DOC.read_text().splitlines():
        if line.startswith("|"):
            for name in re.findall(r"`(livemetrics_[a-z0-9_]+)", line):
                names.add(name)
                if "histogram" in line.lower():
                    names |= {name + s for s in HISTOGRAM_SUFFIXES}
    if not names:
        fail(f"no metric names found in {METRICS_DOC.relative_to(root)}")
    return names


def metric_names(expr):
    """The metric (or recording rule) names an expression selects."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\boffset\s+\S+", " ", e)
    e = re.sub(r"(?<![A-Za-z0-9_:])\d+(\.\d+)?([eE][+-]?\d+)?", " ", e)
    found = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", e):
        rest = e[m.end():].lstrip()
        if m.group(0) in KEYWORDS or rest.startswith("("):
            continue
        found.add(m.group(0))
    return found


def load_yaml(path):
    try:
        return list(yaml.safe_load_all(path.read_text()))
    except yaml.YAMLError as e:
        fail(f"{path.relative_to(root)}: not valid YAML: {e}")
        return []


# --- every YAML and JSON file parses
for base in ["runners/monitoring", "runners/kubernetes", "runners/dataflow", "runners/flink"]:
    for path in sorted((root / base).rglob("*")):
        if path.suffix in (".yml", ".yaml"):
            load_yaml(path)
        elif path.suffix == ".json":
            try:
                json.loads(path.read_text())
            except ValueError as e:
                fail(f"{path.relative_to(root)}: not valid JSON: {e}")

rules = yaml.safe_load(RULES.read_text())

# --- the PrometheusRule carries exactly the rules file's groups
RULE_HEADER = """# Generated from runners/monitoring/prometheus/livemetrics-rules.yml (the source: edit that, then
# run scripts/check-monitoring.sh --write-prometheusrule). For the Prometheus Operator; its
# ruleSelector must match the labels below.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: livemetrics
  namespace: livemetrics
  labels:
    app.kubernetes.io/name: livemetrics
    release: prometheus
spec:
"""
if write_rule:
    text = RULES.read_text()
    groups = text[text.index("groups:"):]
    PROMETHEUS_RULE.write_text(RULE_HEADER + "".join("  " + l if l.strip() else l
                                                     for l in groups.splitlines(True)))
    print(f"check-monitoring: wrote {PROMETHEUS_RULE.relative_to(root)}")
    sys.exit(0)
if not PROMETHEUS_RULE.exists():
    fail(f"{PROMETHEUS_RULE.relative_to(root)} is missing (scripts/check-monitoring.sh --write-prometheusrule)")
else:
    pr = yaml.safe_load(PROMETHEUS_RULE.read_text())
    if pr.get("kind") != "PrometheusRule" or pr.get("apiVersion") != "monitoring.coreos.com/v1":
        fail("prometheusrule.yaml is not a monitoring.coreos.com/v1 PrometheusRule")
    if (pr.get("spec") or {}).get("groups") != rules["groups"]:
        fail("prometheusrule.yaml differs from livemetrics-rules.yml: run scripts/check-monitoring.sh --write-prometheusrule")

# --- alerts: for, severity, annotations, runbook links to a heading of the runbook (docs/operations.md)
# (any base: the repository may live elsewhere, runners/monitoring/README.md)
RUNBOOK_FILE = "docs/operations.md"


def anchors(markdown):
    out = set()
    for line in markdown.splitlines():
        m = re.match(r"#{1,6}\s+(.*)", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out

runbook_anchors = anchors((root / RUNBOOK_FILE).read_text())
recorded = set()
alerts = 0
for group in rules["groups"]:
    for rule in group["rules"]:
        if "record" in rule:
            recorded.add(rule["record"])
            continue
        alerts += 1
        name = rule["alert"]
        if "for" not in rule:
            fail(f"alert {name}: no for:")
        if rule.get("labels", {}).get("severity") not in ("warning", "critical"):
            fail(f"alert {name}: severity must be warning or critical")
        ann = rule.get("annotations", {})
        for key in ("summary", "description", "runbook_url"):
            if not ann.get(key):
                fail(f"alert {name}: no {key} annotation")
        url = ann.get("runbook_url", "")
        if not url.split("#", 1)[0].endswith("/" + RUNBOOK_FILE) or url.split("#", 1)[-1] not in runbook_anchors:
            fail(f"alert {name}: runbook_url {url} is not a heading of {RUNBOOK_FILE}")

# --- every expression names only known metrics (the pipeline's from METRICS.md, written on the
# pipeline-metrics branch: without it, only recorded and Flink names are told apart from others)
pipeline = contract_names()
known = (pipeline or set()) | recorded | FLINK_METRICS


def unknown(names):
    return {n for n in names - known if pipeline is not None or not n.startswith("livemetrics_")}


for group in rules["groups"]:
    for rule in group["rules"]:
        for name in unknown(metric_names(rule["expr"])):
            fail(f"rule {rule.get('record') or rule.get('alert')}: unknown metric {name}")

# --- the dashboard
dash = json.loads(DASHBOARD.read_text())
if dash.get("schemaVersion", 0) < 36:
    fail("dashboard: schemaVersion below 36")
variables = {v["name"]: v for v in dash.get("templating", {}).get("list", [])}
if variables.get("datasource", {}).get("type") != "datasource" or variables["datasource"].get("query") != "prometheus":
    fail("dashboard: needs a datasource variable of type prometheus")
if "job" not in variables:
    fail("dashboard: needs a job variable")


def panels(items):
    for p in items:
        yield p
        yield from panels(p.get("panels", []))


def grafana_to_promql(expr):
    expr = re.sub(r"\$__(rate_interval|interval|range)\b", "5m", expr)
    return re.sub(r"\$\{?\w+\}?", ".*", expr)


exprs = []
ids = set()
for p in panels(dash.get("panels", [])):
    if p.get("id") in ids:
        fail(f"dashboard: duplicate panel id {p.get('id')}")
    ids.add(p.get("id"))
    pos = p.get("gridPos", {})
    if pos.get("x", 0) + pos.get("w", 0) > 24:
        fail(f"dashboard: panel {p.get('title')} is wider than the grid")
    if p.get("type") == "row":
        continue
    if p.get("datasource", {}).get("uid") != "${datasource}":
        fail(f"dashboard: panel {p.get('title')} does not use the datasource variable")
    if not p.get("targets"):
        fail(f"dashboard: panel {p.get('title')} has no query")
    for t in p.get("targets", []):
        exprs.append((f"panel {p.get('title')!r} {t.get('refId')}", t.get("expr", "")))
for v in variables.values():
    q = v.get("query")
    q = q.get("query") if isinstance(q, dict) else q
    m = re.fullmatch(r"label_values\((.*),\s*\w+\)", q or "")
    if m:
        exprs.append((f"variable {v['name']}", m.group(1)))

for where, expr in exprs:
    for name in unknown(metric_names(grafana_to_promql(expr))):
        fail(f"dashboard {where}: unknown metric {name}")
with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as tmp:
    tmp.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, (where, expr) in enumerate(exprs):
        tmp.write(f"      # {where}\n      - record: dashboard:expr_{i}\n        expr: {json.dumps(grafana_to_promql(expr))}\n")
check = subprocess.run([promtool, "check", "rules", tmp.name], capture_output=True, text=True)
os.unlink(tmp.name)
if check.returncode != 0:
    fail("dashboard: promtool rejects an expression:\n" + check.stdout + check.stderr)

# --- Grafana provisioning
prov = root / "runners/monitoring/grafana/provisioning"
ds = yaml.safe_load((prov / "datasources/prometheus.yml").read_text())
if not any(d.get("type") == "prometheus" for d in ds.get("datasources", [])):
    fail("grafana provisioning: no prometheus datasource")
dp = yaml.safe_load((prov / "dashboards/livemetrics.yml").read_text())
if not any(p.get("type") == "file" and p.get("options", {}).get("path") for p in dp.get("providers", [])):
    fail("grafana provisioning: no file provider with a path")

# --- the PodMonitor's relabelings are the relabel file's rules
CAMEL = {"source_labels": "sourceLabels", "target_label": "targetLabel"}
pm = yaml.safe_load(PODMONITOR.read_text())
endpoints = pm.get("spec", {}).get("podMetricsEndpoints", [])
if pm.get("kind") != "PodMonitor" or not endpoints:
    fail("podmonitor.yaml: not a PodMonitor with an endpoint")
if RELABEL.exists():
    relabel = yaml.safe_load(RELABEL.read_text())
    if isinstance(relabel, dict):
        relabel = relabel.get("metric_relabel_configs", [])
    wanted = [{CAMEL.get(k, k): v for k, v in r.items()} for r in relabel]
    for ep in endpoints:
        if ep.get("metricRelabelings") != wanted:
            fail(f"podmonitor.yaml: metricRelabelings differ from {RELABEL.name} (camelCase of each rule)")
    relabel_note = f"= {RELABEL.name}"
else:
    relabel_note = f"not compared ({RELABEL.name} is not on this branch)"

# --- the Dataflow Flex Template spec embeds metadata.json
dataflow = root / "runners/dataflow"
for spec in sorted(dataflow.glob("livemetrics-*.json")) if dataflow.exists() else []:
    if spec.name.endswith("-metadata.json"):
        continue
    s = json.loads(spec.read_text())
    meta = dataflow / spec.name.replace(".json", "-metadata.json")
    if s.get("sdkInfo", {}).get("language") != "JAVA" or not s.get("image"):
        fail(f"{spec.name}: needs image and sdkInfo.language JAVA")
    if meta.exists() and s.get("metadata") != json.loads(meta.read_text()):
        fail(f"{spec.name}: metadata differs from {meta.name}")

if errors:
    for e in errors:
        print("check-monitoring: " + e, file=sys.stderr)
    sys.exit(1)
names_note = ("metric names from METRICS.md" if pipeline is not None
              else "pipeline metric names not checked (METRICS.md is not on this branch)")
print(f"check-monitoring: OK: {len(recorded)} recording rules, {alerts} alerts, "
      f"{len(exprs)} dashboard queries; {names_note}; PodMonitor relabelings {relabel_note}")
