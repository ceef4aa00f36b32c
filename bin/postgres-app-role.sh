#!/usr/bin/env bash
# PostgreSQL's first start (docker-entrypoint-initdb.d): the application's own login role. It owns
# nothing; `manage.py grant_app_role ascm_app`, run by the owner after each migrate, gives it read and
# write on the tables and append-only on the audit log.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE ascm_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
SQL
