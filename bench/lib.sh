# Helpers shared by bench/http.sh and bench/hj212.sh; sourced after `set -euo pipefail` and the
# cd to the repository root.

# BACKENDS ("sqlite postgresql", either alone) → the array backends; exits on anything else.
parse_backends() {
  read -ra backends <<<"$BACKENDS"
  [ ${#backends[@]} -gt 0 ] || { echo "bench: BACKENDS is empty"; exit 2; }
  local b
  for b in "${backends[@]}"; do
    case $b in
    sqlite | postgresql) ;;
    *) echo "bench: unknown backend '$b' (sqlite, postgresql)"; exit 2 ;;
    esac
  done
}

# A temp dir in $work, removed on exit with the background jobs and, once pg_started is set,
# the PostgreSQL cluster in $work/pg.
make_workdir() {
  work=$(mktemp -d)
  chmod 711 "$work" # as root the cluster runs as another account, which must reach $work/pg
  pg_started=""
  trap cleanup EXIT
}
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "$pg_started" ] || scripts/pg-cluster stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}

free_port() { # a port nobody listens on now (the kernel's pick), for the next listener
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The lines of a server log at warn or error: serve_log_problems FILE → count; then
# show_first PATTERN FILE N prints the first 8 of N matching lines verbatim (awk reads on: no
# SIGPIPE under pipefail).
SERVE_PROBLEM='^[^ ]+ (warn|error) '
serve_log_problems() { grep -cE "$SERVE_PROBLEM" "$1" || true; }
show_first() {
  [ "$3" -gt 0 ] || return 0
  grep -E "$1" "$2" | awk 'NR <= 8 {print "  " $0}'
  [ "$3" -le 8 ] || echo "  ... $(($3 - 8)) more"
}

# The cluster's own log: statement errors, deadlocks, crashes (nothing without a cluster).
pg_log_check() {
  [ -n "$pg_started" ] || return 0
  local n
  n=$(grep -cE '(ERROR|FATAL|PANIC):' "$work/pg/postgres.log" || true)
  echo "postgres log: $n ERROR/FATAL/PANIC lines"
  show_first '(ERROR|FATAL|PANIC):' "$work/pg/postgres.log" "$n"
}
