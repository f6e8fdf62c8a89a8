#!/usr/bin/env bash
# Stops everything up.sh started (by the pids it recorded) and removes its directory.
set -uo pipefail
RUN="${CMS_SELF_HOST_DIR:-/tmp/cms-self-host}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
[ -d "$RUN" ] || { echo "nothing running in $RUN"; exit 0; }
for pidfile in "$RUN"/pids/*.pid; do
  [ -e "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null
done
for pidfile in "$RUN"/pids/*.pid; do
  [ -e "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
done
for node in replica primary; do
  if [ -f "$RUN/pg/$node/postmaster.pid" ]; then
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$RUN/pg/$node' -m fast -w stop" >/dev/null
    else "$PG_BIN/pg_ctl" -D "$RUN/pg/$node" -m fast -w stop >/dev/null; fi
  fi
done
rm -rf "$RUN"
echo "stopped; $RUN removed"
