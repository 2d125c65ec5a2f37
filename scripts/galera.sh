#!/usr/bin/env bash
# A local 3-node MariaDB Galera cluster from Debian's packages, for the race tests across nodes.
#   scripts/galera.sh start|fresh|stop|status|kill-node N|start-node N [DIR]
# `fresh` stops the nodes, deletes DIR and bootstraps a new cluster (what CI uses: nothing left over
# from an earlier run, such as a node killed by a test, can get in the way).
# Nodes answer SQL on 127.0.0.1:3311, 3312, 3313 (root, empty password, database `test`); Galera
# talks on 4571-4573, IST on 4581-4583, SST (rsync) on 4591-4593. Data, sockets, pid files and logs
# live under DIR (default /tmp/aftersales-galera). It never touches the main MariaDB on 3306, and
# `stop` kills only the processes whose pid files it wrote.
set -euo pipefail

cmd="${1:-status}"
if [[ "$cmd" == *-node ]]; then node_arg="${2:?node number 1-3}"; DIR="${3:-/tmp/aftersales-galera}"; else DIR="${2:-/tmp/aftersales-galera}"; fi
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

sql_port() { echo $((3310 + $1)); }
# the pid in the node's pid file, only while that process is this node's mariadbd (a stale file's pid may be reused)
pid_of() {
  local pid; pid=$(cat "$DIR/node$1/mysqld.pid" 2>/dev/null) || return 0
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "--defaults-file=$DIR/node$1/my.cnf" && echo "$pid" || true
}
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
q() { mysql --protocol=socket -S "$DIR/node$1/mysqld.sock" -uroot -N -B -e "$2" 2>/dev/null; }
status_of() { q "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'; }

install_packages() {
  local missing=()
  [ -f "$PROVIDER" ] || missing+=(galera-4)
  command -v rsync >/dev/null || missing+=(rsync)
  # the rsync SST script checks its port with ss or lsof
  command -v ss >/dev/null || command -v lsof >/dev/null || missing+=(iproute2)
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

write_config() {
  local n=$1 d="$DIR/node$1"
  mkdir -p "$d/data"
  cat > "$d/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mysqld.pid
log-error=$d/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
innodb_flush_log_at_trx_commit=2
max_connections=400
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=aftersales_test
wsrep_cluster_address=gcomm://127.0.0.1:4571,127.0.0.1:4572,127.0.0.1:4573
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$((4570 + n))
wsrep_provider_options=base_port=$((4570 + n));ist.recv_addr=127.0.0.1:$((4580 + n));gcache.size=64M
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((4590 + n))
wsrep_slave_threads=2
EOF
}

wait_synced() {
  local n=$1
  for _ in $(seq 1 120); do
    if [ "$(status_of "$n" wsrep_local_state_comment)" = "Synced" ]; then return 0; fi
    alive "$n" || { echo "node$n exited; see $DIR/node$n/error.log" >&2; tail -20 "$DIR/node$n/error.log" >&2; return 1; }
    sleep 1
  done
  echo "node$n did not reach Synced within 120 s" >&2
  return 1
}

# After a kill -9 grastate.dat says seqno -1 and the node would ask for a full copy (SST: the rsync donor
# blocks its writes meanwhile). Read the last committed position from InnoDB instead, as systemd's
# galera_recovery does, so the node catches up from the others' gcache (IST).
recovered_position() {
  local d="$DIR/node$1"
  grep -q '^seqno: *-1' "$d/data/grastate.dat" 2>/dev/null || return 0
  $SUDO /usr/sbin/mariadbd --defaults-file="$d/my.cnf" --wsrep-recover --log-error="$d/recover.log" >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *//p' "$d/recover.log" 2>/dev/null | tail -1
}

start_node() {
  local n=$1 bootstrap=${2:-} position
  if alive "$n"; then return 0; fi
  write_config "$n"
  $SUDO chown -R mysql: "$DIR/node$n"
  if [ -n "$bootstrap" ] && [ ! -d "$DIR/node$n/data/mysql" ]; then
    $SUDO mariadb-install-db --defaults-file="$DIR/node$n/my.cnf" --user=mysql >/dev/null 2>&1
  fi
  position=$(recovered_position "$n")
  # the first node bootstraps even when it was killed last time (the cluster is down: nobody else can)
  [ -n "$bootstrap" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$DIR/node$n/data/grastate.dat" 2>/dev/null || true
  # not start-stop-daemon --exec: it would find the main server's mariadbd and refuse
  $SUDO nohup /usr/sbin/mariadbd --defaults-file="$DIR/node$n/my.cnf" ${bootstrap:+--wsrep-new-cluster} ${position:+--wsrep_start_position=$position} >>"$DIR/node$n/stdout.log" 2>&1 &
  for _ in $(seq 1 60); do [ -s "$DIR/node$n/mysqld.pid" ] && break; sleep 0.5; done
  wait_synced "$n"
}

start() {
  local began; began=$(date +%s)
  install_packages
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  if alive 1 || alive 2 || alive 3; then
    for n in "${NODES[@]}"; do alive "$n" || start_node "$n"; done
  else
    start_node 1 bootstrap
    start_node 2
    start_node 3
  fi
  # root over TCP with an empty password (replicated to every node), and the test database
  q 1 "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" || true
  # mariadb-install-db may leave a latin1 `test` behind, so IF NOT EXISTS alone is not enough
  q 1 "CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  q 1 "ALTER DATABASE test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  echo "Galera cluster up in $(( $(date +%s) - began )) s: size $(status_of 1 wsrep_cluster_size), nodes on 127.0.0.1:3311, 3312, 3313"
  echo "TEST_GALERA_URLS=mariadb://root@127.0.0.1:3311/test,mariadb://root@127.0.0.1:3312/test,mariadb://root@127.0.0.1:3313/test"
}

stop_node() {
  local n=$1 pid; pid=$(pid_of "$n")
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/node$n/mysqld.pid"
}

case "$cmd" in
  start) start ;;
  fresh)
    for n in 3 2 1; do stop_node "$n"; done
    $SUDO rm -rf "$DIR"
    for port in 3311 3312 3313 4571 4572 4573; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is taken by another process: stop it first" >&2; exit 1; fi
    done
    start ;;
  stop) for n in 3 2 1; do stop_node "$n"; done; echo "Galera cluster stopped" ;;
  status)
    for n in "${NODES[@]}"; do
      if alive "$n"; then echo "node$n :$(sql_port "$n") $(status_of "$n" wsrep_local_state_comment) size=$(status_of "$n" wsrep_cluster_size)"; else echo "node$n down"; fi
    done ;;
  kill-node)
    pid=$(pid_of "$node_arg")
    if [ -n "$pid" ]; then
      kill -9 "$pid" 2>/dev/null || true
      # its ports are free only once it is really gone
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$DIR/node$node_arg/mysqld.pid"
    fi
    echo "node$node_arg killed" ;;
  start-node) start_node "$node_arg"; echo "node$node_arg rejoined" ;;
  *) echo "usage: $0 start|fresh|stop|status|kill-node N|start-node N [DIR]" >&2; exit 2 ;;
esac
