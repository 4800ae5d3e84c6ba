#!/usr/bin/env bash
# Builds the Temporal CLI (dev server with Web UI) from source through the Go
# module proxy, for machines where the SDK cannot download it. Idempotent.
# v1.5.1 is the newest tag `go install` accepts (later tags carry a replace
# directive). Needs Go >= 1.24. Takes about 3 minutes on 2 cores.
set -euo pipefail
version="${TEMPORAL_CLI_VERSION:-v1.5.1}"
cache="${RACKRATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rackrate}"
target="$cache/bin/temporal"
if [ -x "$target" ] && "$target" --version >/dev/null 2>&1; then
  echo "Temporal CLI present: $target"
  exit 0
fi
command -v go >/dev/null || { echo "Go is not installed; cannot build the Temporal CLI" >&2; exit 1; }
mkdir -p "$cache/bin"
echo "Building Temporal CLI $version with go install (first time only, a few minutes)..."
GOBIN="$cache/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$version"
"$target" --version
