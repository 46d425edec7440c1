#!/usr/bin/env bash
# To-do benchmark (prints figures; never a pass/fail test): the to-do list (待办) of one
# monitoring officer among 100,000 open cases, beside a plain entity list in the same run. For
# each backend in BACKENDS ("sqlite postgresql", either alone) creates a demo database (N_ENT
# enterprises), adds N_CASES open cases with bench/todo_cases.sql (100 other bureaus hold all
# but 800: 600 unassigned in a unit under the officer's, 200 assigned to the officer), serves
# it, signs in as `monitor` and runs wrk against GET /api/v1/todo (the officer's 800, the first
# 50 by deadline, with the counts), GET /api/v1/todo/counts (the navigation badge) and GET
# /api/v1/enterprises?limit=50. Prints req/s, p50/p99 and the ratio of each to the entity
# list's req/s. Target: the to-do list within 2x of the entity list (ratio >= 0.5).
# Settings (environment): BACKENDS, DURATION (10s), CONNS (64), THREADS (2), N_ENT (300),
# N_CASES (100000), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
N_ENT=${N_ENT:-300}
N_CASES=${N_CASES:-100000}
. bench/lib.sh
parse_backends
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/bootstrap installs it)"; exit 1; }
cmake --build "$BUILD" >/dev/null
make_workdir

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
run() { # wrk run → "req/s p50 p99"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'
}
declare -A res
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  port=$(free_port); hj=$(free_port)
  while [ "$port" = "$hj" ]; do hj=$(free_port); done
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_todo)
    echo "db = $url" >"$data/envgov.ini"
  fi
  echo "bench: $b: demo database ($N_ENT enterprises) and $N_CASES open cases..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  serve() {
    ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
      --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  }
  serve
  login() { # user → the session cookie
    curl -si -H 'content-type: application/json' \
      -d "{\"username\":\"$1\",\"password\":\"Huzhou#2026demo\"}" "http://127.0.0.1:$port/api/v1/session" |
      sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p'
  }
  admin=$(login admin)
  [ -n "$admin" ] || { echo "bench: login failed on $b"; cat "$work/serve-$b.log"; exit 1; }
  csrf=$(curl -sf -H "Cookie: $admin" "http://127.0.0.1:$port/api/v1/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  for i in $(seq 100); do # the other bureaus of the province
    curl -sf -o /dev/null -H "Cookie: $admin" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
      -d "{\"name\":\"bench bureau $i\",\"kind\":\"bureau\"}" "http://127.0.0.1:$port/api/v1/org-units" ||
      { echo "bench: creating org unit $i failed on $b"; exit 1; }
  done
  kill "$server"; wait "$server" 2>/dev/null || true # the bulk insert alone on the database
  sed "s/:N/$N_CASES/" bench/todo_cases.sql >"$work/cases.sql"
  if [ "$b" = postgresql ]; then
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" -f "$work/cases.sql" -c 'ANALYZE cases' >/dev/null
  else
    sqlite3 -bail "$data/envgov.db" <"$work/cases.sql"
    sqlite3 "$data/envgov.db" 'ANALYZE cases'
  fi
  serve
  cookie=$(login monitor)
  curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/todo/counts" |
    python3 -c 'import json,sys; c=json.load(sys.stdin); print("bench: the officer'"'"'s to-do: %d open, %d overdue" % (c["total"], c["overdue"]))'
  echo "bench: $b: wrk runs..."
  res[$b,list]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=50")
  res[$b,todo]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/todo")
  res[$b,counts]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/todo/counts")
  problems=$(serve_log_problems "$work/serve-$b.log")
  kill "$server"; wait "$server" 2>/dev/null || true
  echo "server log ($b): $problems warn/error lines"
  show_first "$SERVE_PROBLEM" "$work/serve-$b.log" "$problems"
done
pg_log_check

cell() { # "req/s p50 p99" and the entity list's req/s → one column group
  local rps p50 p99
  read -r rps p50 p99 <<<"$1"
  [ -n "$rps" ] || { printf " | %-38s" "(no result)"; return; }
  printf " | %10s %8s %8s %8s" "$rps" "$p50" "$p99" "$(python3 -c "print('%.2fx' % ($rps / ${2%% *}))")"
}
printf "%-40s" ""; for b in "${backends[@]}"; do printf " | %-38s" "$b"; done; echo
printf "%-40s" "$N_CASES open cases, $CONNS connections"
for _ in "${backends[@]}"; do printf " | %10s %8s %8s %8s" "req/s" "p50" "p99" "vs list"; done; echo
row() {
  printf "%-40s" "$1"
  for b in "${backends[@]}"; do cell "${res[$b,$2]}" "${res[$b,list]}"; done; echo
}
row "GET /api/v1/enterprises?limit=50" list
row "GET /api/v1/todo (the officer's)" todo
row "GET /api/v1/todo/counts" counts
