#!/usr/bin/env bash
# Installs schemathesis (fuzzes the API from its OpenAPI document) into a
# virtualenv in the Rackrate cache, for test/api/fuzz.test.ts. Idempotent.
set -euo pipefail
version="${SCHEMATHESIS_VERSION:-4.32.5}"
cache="${RACKRATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rackrate}"
venv="$cache/schemathesis-venv"
if [ -x "$venv/bin/schemathesis" ] && "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  echo "schemathesis $version present: $venv/bin/schemathesis"
  exit 0
fi
command -v python3 >/dev/null || { echo "python3 is not installed; cannot install schemathesis" >&2; exit 1; }
echo "Installing schemathesis $version into $venv..."
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
"$venv/bin/schemathesis" --version
