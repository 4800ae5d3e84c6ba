#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data volume
# (docker-compose.yml mounts this folder at /docker-entrypoint-initdb.d).
#
# POSTGRES_USER is a superuser, and superusers bypass row-level security, so
# Rackrate must never connect as it. This creates:
#   rackrate  a plain login role (NOSUPERUSER NOBYPASSRLS) owning database
#             rackrate; migrations and the app connect as it. Owning the
#             tables is safe because they FORCE row-level security.
#   temporal  Temporal's own plain role, owning databases temporal and
#             temporal_visibility. temporalio/auto-setup then creates the
#             schema in them (SKIP_DB_CREATE=true): its own create step skips
#             a database named like its user, so it would not make `temporal`.
#
# Changing a password later means ALTER ROLE by hand (or a fresh volume):
# this script does not run again on an initialised volume.

: "${RACKRATE_DB_PASSWORD:?set RACKRATE_DB_PASSWORD for the rackrate role}"
: "${TEMPORAL_DB_PASSWORD:?set TEMPORAL_DB_PASSWORD for the temporal role}"

# psql substitutes :'name' with the quoted variable, so passwords need no escaping here.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=rackrate_password="$RACKRATE_DB_PASSWORD" \
  --set=temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE rackrate LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'rackrate_password';
CREATE DATABASE rackrate OWNER rackrate;
REVOKE ALL ON DATABASE rackrate FROM PUBLIC;

CREATE ROLE temporal LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
REVOKE ALL ON DATABASE temporal FROM PUBLIC;
REVOKE ALL ON DATABASE temporal_visibility FROM PUBLIC;
SQL
