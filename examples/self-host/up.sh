#!/usr/bin/env bash
# Starts the self-host topology on loopback, with private ports and data directories under $RUN:
# PostgreSQL primary + streaming replica (slot), Redis master + replica + 3 sentinels, the chain,
# N cms-server instances (each with its embedded enclave and its own recorder key, authorized on the
# ledger), and HAProxy terminating TLS in front. Prints the URL. `down.sh` stops everything.
# Needs: PostgreSQL 15 server binaries, redis-server, haproxy, openssl (Debian packages), pnpm install done.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN="${CMS_SELF_HOST_DIR:-/tmp/cms-self-host}"
# Below the kernel's ephemeral range (ip_local_port_range, 32768-60999 by default): an outgoing connection of any
# other program can hold a port in that range and make a fixed listener here fail to bind.
BASE="${CMS_SELF_HOST_BASE_PORT:-27100}"
INSTANCES="${CMS_SELF_HOST_INSTANCES:-2}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
if [ -e "$RUN/pids" ]; then echo "already running in $RUN (run down.sh first)" >&2; exit 1; fi
for bin in redis-server haproxy openssl "$PG_BIN/initdb" "$PG_BIN/pg_basebackup"; do
  command -v "$bin" >/dev/null || { echo "missing $bin (apt-get install postgresql redis-server haproxy openssl)" >&2; exit 1; }
done
mkdir -p "$RUN/pids" "$RUN/logs"
chmod 755 "$RUN"
log() { printf '==> %s\n' "$*"; }
PG_PRIMARY=$((BASE)); PG_REPLICA=$((BASE + 1))
REDIS_MASTER=$((BASE + 10)); REDIS_REPLICA=$((BASE + 11)); SENTINEL_PORTS="$((BASE + 20)) $((BASE + 21)) $((BASE + 22))"
CHAIN_PORT=$((BASE + 30)); HAPROXY_PORT=$((BASE + 40)); SERVER_BASE=$((BASE + 50))
wait_for() { # wait_for <seconds> <what> <command…>
  local until=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $until ]; then echo "timed out waiting for $what" >&2; exit 1; fi
    sleep 0.2
  done
}

log "TLS certificate for 127.0.0.1 (self-signed)"
openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$RUN/tls.key" -out "$RUN/tls.crt" 2>/dev/null
cat "$RUN/tls.crt" "$RUN/tls.key" > "$RUN/tls.pem"; chmod 600 "$RUN/tls.pem" "$RUN/tls.key"

log "PostgreSQL primary :$PG_PRIMARY and streaming replica :$PG_REPLICA"
mkdir -p "$RUN/pg"; chown postgres "$RUN/pg" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_pg "'$PG_BIN/initdb' -D '$RUN/pg/primary' -U postgres --auth=trust >'$RUN/pg/initdb.log'"
cat "$HERE/postgres/primary.conf" >> "$RUN/pg/primary/postgresql.conf"
cat >> "$RUN/pg/primary/postgresql.conf" <<CONF
port = $PG_PRIMARY
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN/pg'
max_slot_wal_keep_size = 256MB
CONF
echo "host replication postgres 127.0.0.1/32 trust" >> "$RUN/pg/primary/pg_hba.conf"
as_pg "'$PG_BIN/pg_ctl' -D '$RUN/pg/primary' -l '$RUN/pg/primary.log' -w start >/dev/null" || { tail -n 20 "$RUN/pg/primary.log" >&2; exit 1; }
as_pg "psql -h 127.0.0.1 -p $PG_PRIMARY -U postgres -qc \"select pg_create_physical_replication_slot('replica1')\" >/dev/null"
as_pg "psql -h 127.0.0.1 -p $PG_PRIMARY -U postgres -qc 'create database cms' >/dev/null"
# --checkpoint=fast: the default (spread) waits for a checkpoint paced over checkpoint_timeout, minutes on an idle primary.
as_pg "'$PG_BIN/pg_basebackup' -h 127.0.0.1 -p $PG_PRIMARY -U postgres -D '$RUN/pg/replica' -R -X stream -S replica1 --checkpoint=fast"
sed -i "s/^port = $PG_PRIMARY/port = $PG_REPLICA/" "$RUN/pg/replica/postgresql.conf"
as_pg "'$PG_BIN/pg_ctl' -D '$RUN/pg/replica' -l '$RUN/pg/replica.log' -w start >/dev/null" || { tail -n 20 "$RUN/pg/replica.log" >&2; exit 1; }

log "Redis master :$REDIS_MASTER, replica :$REDIS_REPLICA, sentinels :${SENTINEL_PORTS// /, :}"
for port in $REDIS_MASTER $REDIS_REPLICA; do
  mkdir -p "$RUN/redis-$port"
  extra=(); [ "$port" = "$REDIS_REPLICA" ] && extra=(--replicaof 127.0.0.1 "$REDIS_MASTER")
  redis-server --port "$port" --bind 127.0.0.1 --dir "$RUN/redis-$port" --appendonly yes --save "" --daemonize yes \
    --pidfile "$RUN/pids/redis-$port.pid" --logfile "$RUN/logs/redis-$port.log" "${extra[@]}"
done
for port in $SENTINEL_PORTS; do
  cat > "$RUN/sentinel-$port.conf" <<CONF
port $port
bind 127.0.0.1
daemonize yes
pidfile $RUN/pids/sentinel-$port.pid
logfile $RUN/logs/sentinel-$port.log
dir $RUN
sentinel monitor cms 127.0.0.1 $REDIS_MASTER 2
sentinel down-after-milliseconds cms 1000
sentinel failover-timeout cms 5000
CONF
  redis-server "$RUN/sentinel-$port.conf" --sentinel
done

log "chain :$CHAIN_PORT (anvil from npm: one node; see README for the 3-node network)"
ANVIL="$(cd "$ROOT/packages/server" && node --import tsx -e "import('./src/ledger/anvil/anvil-binary.ts').then((m) => console.log(m.anvilBinaryPath()))")"
nohup "$ANVIL" --host 127.0.0.1 --port "$CHAIN_PORT" --silent --block-time 1 --hardfork paris \
  --state "$RUN/chain-state.json" --state-interval 1 >"$RUN/logs/chain.log" 2>&1 </dev/null &
echo $! > "$RUN/pids/chain.pid"
wait_for 15 "the chain" curl -sf -X POST -H 'content-type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$CHAIN_PORT"

cms() { (cd "$ROOT/packages/server" && env "$@"); }
CMS="node --conditions=source --import tsx src/main.ts"
OWNER_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 # anvil's published dev key
COMMON=(CMS_LOG_LEVEL=warn CMS_CHAIN_RPC_URLS="http://127.0.0.1:$CHAIN_PORT" CMS_CHAIN_ID=31337)
log "cms-server migrate, ledger deploy"
cms "${COMMON[@]}" DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PRIMARY/cms" CMS_CHAIN=disabled CMS_ENCLAVE=disabled \
  CMS_DATA_DIR="$RUN/migrate" $CMS migrate
LEDGER="$(cms "${COMMON[@]}" CMS_LEDGER_OWNER_PRIVATE_KEY=$OWNER_KEY $CMS ledger deploy | sed -n 's/^CMS_LEDGER_ADDRESS=//p')"
echo "ledger $LEDGER"

SERVER_LINES=""
for i in $(seq 1 "$INSTANCES"); do
  port=$((SERVER_BASE + i))
  env_file="$RUN/cms-$i.env"
  cat > "$env_file" <<ENV
HOST=127.0.0.1
PORT=$port
CMS_PUBLIC_URL=https://127.0.0.1:$HAPROXY_PORT
CMS_TRUST_PROXY=1
CMS_DATA_DIR=$RUN/cms-$i
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PRIMARY/cms
DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$PG_REPLICA/cms
REDIS_SENTINELS=127.0.0.1:${SENTINEL_PORTS// /,127.0.0.1:}
REDIS_SENTINEL_NAME=cms
CMS_CHAIN=external
CMS_CHAIN_RPC_URLS=http://127.0.0.1:$CHAIN_PORT
CMS_CHAIN_ID=31337
CMS_LEDGER_ADDRESS=$LEDGER
CMS_LOG_LEVEL=warn
ENV
  chmod 600 "$env_file"
  log "instance $i :$port — authorize its enclave's recorder key"
  # shellcheck disable=SC2046
  cms $(cat "$env_file") CMS_LEDGER_OWNER_PRIVATE_KEY=$OWNER_KEY $CMS ledger authorize-recorder --fund 10
  # shellcheck disable=SC2046
  # exec keeps one pid from the subshell to node, so the pid file names the server itself.
  (cd "$ROOT/packages/server" && exec nohup env $(cat "$env_file") $CMS >"$RUN/logs/cms-$i.log" 2>&1 </dev/null) &
  echo $! > "$RUN/pids/cms-$i.pid"
  SERVER_LINES+="    server cms$i 127.0.0.1:$port check"$'\n'
done
for i in $(seq 1 "$INSTANCES"); do
  wait_for 90 "instance $i" curl -sf "http://127.0.0.1:$((SERVER_BASE + i))/readyz"
done

log "HAProxy https://127.0.0.1:$HAPROXY_PORT"
sed -e "s|\${CMS_HAPROXY_PORT}|$HAPROXY_PORT|" -e "s|\${CMS_TLS_PEM}|$RUN/tls.pem|" "$HERE/haproxy.cfg" > "$RUN/haproxy.cfg"
printf '%s' "$SERVER_LINES" >> "$RUN/haproxy.cfg"
haproxy -c -q -f "$RUN/haproxy.cfg"
haproxy -D -f "$RUN/haproxy.cfg" -p "$RUN/pids/haproxy.pid"
wait_for 30 "HAProxy" curl -sfk "https://127.0.0.1:$HAPROXY_PORT/readyz"
cat > "$RUN/topology.env" <<ENV
CMS_URL=https://127.0.0.1:$HAPROXY_PORT
CMS_CA_FILE=$RUN/tls.crt
PG_PRIMARY=$PG_PRIMARY
PG_REPLICA=$PG_REPLICA
REDIS_SENTINELS=127.0.0.1:${SENTINEL_PORTS// /,127.0.0.1:}
CHAIN_URL=http://127.0.0.1:$CHAIN_PORT
CMS_LEDGER_ADDRESS=$LEDGER
SERVER_PORTS="$(for i in $(seq 1 "$INSTANCES"); do printf '%s ' $((SERVER_BASE + i)); done)"
ENV
echo
echo "CMS is up: https://127.0.0.1:$HAPROXY_PORT (CA: $RUN/tls.crt; details in $RUN/topology.env)"
