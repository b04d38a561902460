#!/usr/bin/env bash
# Vendors the dashboard's chart library, uPlot, from npm into the jar (run by the api module's
# build at generate-resources; no Node at run time, no CDN). `npm pack` fetches the published
# tarball (or takes it from npm's cache, so offline rebuilds work once it has been fetched), the
# tarball is checked against the registry's pinned SHA-512, and only the browser build, its
# stylesheet and its licence are copied:
#   OUT/uplot/uPlot.iife.min.js  OUT/uplot/uPlot.min.css  OUT/uplot/LICENSE
#
#   api/scripts/vendor-chart-library.sh <output directory>
set -euo pipefail
UPLOT_VERSION=1.6.32
# `npm view uplot@1.6.32 dist.integrity`
UPLOT_INTEGRITY=sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw==

out="${1:?usage: $0 <output directory>}"
dest="$out/uplot"
stamp="$dest/.version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$UPLOT_VERSION" ] && [ -f "$dest/uPlot.iife.min.js" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "vendor-chart-library: npm is required to build the api module (apt-get install -y npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent --prefer-offline "uplot@$UPLOT_VERSION" >/dev/null)
tarball="$work/uplot-$UPLOT_VERSION.tgz"
[ -f "$tarball" ] || { echo "vendor-chart-library: npm pack did not produce $tarball" >&2; exit 1; }
# node comes with npm; no openssl needed.
actual="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
if [ "$actual" != "$UPLOT_INTEGRITY" ]; then
  echo "vendor-chart-library: uplot@$UPLOT_VERSION's tarball is $actual, expected $UPLOT_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/LICENSE package/dist/uPlot.iife.min.js package/dist/uPlot.min.css
mkdir -p "$dest"
cp "$work/package/LICENSE" "$dest/LICENSE"
cp "$work/package/dist/uPlot.iife.min.js" "$work/package/dist/uPlot.min.css" "$dest/"
echo "$UPLOT_VERSION" > "$stamp"
echo "vendor-chart-library: uplot $UPLOT_VERSION (MIT) into $dest"
