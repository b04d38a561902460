#!/usr/bin/env bash
# The nightly job: recompute yesterday (UTC) from the raw archive, then write the XLSX report of
# every video that had viewers yesterday, one per account and video. For cron and the Kubernetes
# CronJob (runners/kubernetes/nightly-cronjob.yaml); see README.md beside this file.
#
#   nightly.sh --archive <dir|s3://…> --store <dir|s3://…> --accounts <id,id…> --reports <dir|s3://…>
#              [--day YYYY-MM-DD] [--backfill-opt <--name=value>]… [--store-opt <--name=value>]…
#
# Every option can come from the environment instead (flags win):
#   LIVEMETRICS_ARCHIVE, LIVEMETRICS_STORE, LIVEMETRICS_ACCOUNTS, LIVEMETRICS_REPORTS, NIGHTLY_DAY,
#   LIVEMETRICS_BACKFILL_OPTS (space-separated Beam options for the backfill only, e.g. the runner),
#   LIVEMETRICS_STORE_OPTS (space-separated Beam options for every command that touches S3, e.g.
#   --awsRegion=eu-west-1), LIVEMETRICS (the launcher; default: bin/livemetrics of this checkout).
#
# Reports land in <reports>/<account>/<day>/<video>.xlsx; an s3:// destination is uploaded with
# the aws CLI (S3_ENDPOINT_URL, if set, is passed as its --endpoint-url).
# Exit status: 0; 1 when the backfill, a listing, a report or the upload failed (every report that
# can be written still is); 2 for a usage error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
livemetrics="${LIVEMETRICS:-$root/bin/livemetrics}"

archive="${LIVEMETRICS_ARCHIVE:-}"
store="${LIVEMETRICS_STORE:-}"
accounts="${LIVEMETRICS_ACCOUNTS:-}"
reports="${LIVEMETRICS_REPORTS:-}"
day="${NIGHTLY_DAY:-}"
read -r -a backfill_opts <<< "${LIVEMETRICS_BACKFILL_OPTS:-}"
read -r -a store_opts <<< "${LIVEMETRICS_STORE_OPTS:-}"

usage() {
  sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --archive) archive="${2:?--archive needs a value}"; shift 2 ;;
    --store) store="${2:?--store needs a value}"; shift 2 ;;
    --accounts) accounts="${2:?--accounts needs a value}"; shift 2 ;;
    --reports) reports="${2:?--reports needs a value}"; shift 2 ;;
    --day) day="${2:?--day needs a value}"; shift 2 ;;
    --backfill-opt) backfill_opts+=("${2:?--backfill-opt needs a value}"); shift 2 ;;
    --store-opt) store_opts+=("${2:?--store-opt needs a value}"); shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "nightly: unknown argument '$1'" >&2; usage ;;
  esac
done
for required in archive store accounts reports; do
  if [ -z "${!required}" ]; then
    echo "nightly: --$required is required (or LIVEMETRICS_${required^^})" >&2
    usage
  fi
done

# Yesterday in UTC, whatever the machine's zone; the backfill owns [day, next day).
day="${day:-$(date -u -d yesterday +%F)}"
if ! next="$(date -u -d "$day + 1 day" +%F 2>/dev/null)" || [[ ! "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "nightly: --day must be YYYY-MM-DD, got '$day'" >&2
  exit 2
fi

log() { echo "nightly $(date -u +%FT%TZ) $*"; }
failures=0

log "backfill $day: $archive -> $store"
if ! "$livemetrics" backfill --archive="$archive" --output="$store" --from="$day" --to="$next" \
    "${store_opts[@]}" "${backfill_opts[@]}"; then
  log "backfill of $day failed; no reports written"
  exit 1
fi

# Local reports go straight to their place; S3 ones are written here first, then uploaded.
case "$reports" in
  s3://*) out_root="$(mktemp -d)"; trap 'rm -rf "$out_root"' EXIT ;;
  *) out_root="$reports" ;;
esac

written=0
IFS=',' read -r -a account_list <<< "$accounts"
for account in "${account_list[@]}"; do
  account="${account// /}"
  [ -n "$account" ] || continue
  if ! videos="$("$livemetrics" videos --store "$store" --account "$account" \
      --from "$day" --to "$next" "${store_opts[@]}")"; then
    log "account $account: cannot list its videos"
    failures=$((failures + 1))
    continue
  fi
  mapfile -t video_list < <(printf '%s\n' "$videos" | grep -v '^$' || true)
  log "account $account: ${#video_list[@]} videos had viewers on $day"
  mkdir -p "$out_root/$account/$day"
  for video in "${video_list[@]}"; do
    # The report's --to is its last minute, included: the whole UTC day.
    if "$livemetrics" export --store "$store" --account "$account" --video "$video" \
        --from "${day}T00:00:00Z" --to "${day}T23:59:59Z" \
        --out "$out_root/$account/$day/${video//\//_}.xlsx" "${store_opts[@]}" </dev/null; then
      written=$((written + 1))
    else
      log "account $account, video $video: report failed"
      failures=$((failures + 1))
    fi
  done
done

if [[ "$reports" == s3://* ]]; then
  log "uploading $written reports to $reports"
  if ! aws ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} s3 cp --recursive --only-show-errors \
      "$out_root" "${reports%/}"; then
    log "upload to $reports failed"
    failures=$((failures + 1))
  fi
fi

log "done: $written reports for $day, $failures failures"
[ "$failures" -eq 0 ]
