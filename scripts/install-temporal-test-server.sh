#!/usr/bin/env bash
# Fetches the Temporal time-skipping test server (Java) and its dependencies
# with Maven, and writes a launcher the SDK can run as an existing binary
# (TestWorkflowEnvironment.createTimeSkipping({ server: { executable:
# { type: 'existing-path', path } } })). Idempotent. Needs Java >= 11 and Maven.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${RACKRATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rackrate}"
dir="$cache/temporal-test-server"
launcher="$dir/temporal-test-server"
if [ -x "$launcher" ] && ls "$dir"/lib/temporal-test-server-*.jar >/dev/null 2>&1; then
  echo "Temporal test server present: $launcher"
  exit 0
fi
command -v mvn >/dev/null || { echo "Maven is not installed; cannot fetch the Temporal test server" >&2; exit 1; }
command -v java >/dev/null || { echo "Java is not installed; cannot run the Temporal test server" >&2; exit 1; }
mkdir -p "$dir/lib"
echo "Fetching the Temporal test server with Maven..."
mvn -q -B -f "$here/temporal-test-server/pom.xml" dependency:copy-dependencies \
  -DoutputDirectory="$dir/lib" -DincludeScope=runtime
cat > "$launcher" <<LAUNCHER
#!/bin/sh
# Arguments as the SDK passes them: <port> [extra args]
exec java -Xss1m -XX:+UseSerialGC -cp "$dir/lib/*" io.temporal.testserver.TestServer "\$@"
LAUNCHER
chmod +x "$launcher"
echo "Temporal test server ready: $launcher"
