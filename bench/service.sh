#!/usr/bin/env bash
# Service benchmark (prints figures; never a pass/fail test): the pairing ledger for N_ENT
# paired firms (each firm paired once, a third with a leader, a third with a manager) — GET
# /api/v1/service/pairings?limit=100&total=1 (officer, firm, region names joined per row, the
# total counted) and GET /api/v1/service/tbq (every pairing tallied per county) — beside the
# plain GET /api/v1/enterprises?limit=100&total=1 in the same run: the median of RUNS requests
# each, and the ratios. Target: the ledger page within 2x of the enterprise page.
# Settings (environment): BACKENDS, N_ENT (10000), RUNS (9), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-10000}
RUNS=${RUNS:-9}
. bench/lib.sh
parse_backends
cmake --build "$BUILD" >/dev/null
make_workdir

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
median() { # seconds of RUNS requests of url with cookie → the median in ms
  local url=$1 cookie=$2 t=()
  for _ in $(seq "$RUNS"); do
    t+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url")")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  port=$(free_port); hj=$(free_port)
  while [ "$port" = "$hj" ]; do hj=$(free_port); done
  sqlrun() { sqlite3 -bail "$data/envgov.db" "$1"; }
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_service)
    echo "db = $url" >"$data/envgov.ini"
    sqlrun() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1" >/dev/null; }
  fi
  echo "bench: $b: demo database ($N_ENT enterprises)..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  sqlrun "DELETE FROM service_pairings"
  sqlrun "INSERT INTO service_pairings (user_id, enterprise_id, tier, region_code, created_at, updated_at)
          SELECT (SELECT id FROM users WHERE username = CASE e.id % 3 WHEN 0 THEN 'leader' WHEN 1 THEN 'legal' ELSE 'service' END),
                 e.id, CASE e.id % 3 WHEN 0 THEN 'leader' WHEN 1 THEN 'manager' ELSE 'staff' END, e.region_code,
                 '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z' FROM enterprises e"
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; exit 1; }
  base="http://127.0.0.1:$port/api/v1"
  curl -sf -H "Cookie: $cookie" "$base/service/tbq" |
    python3 -c 'import json,sys; c=json.load(sys.stdin)["total"]; print("bench: 十 %d, 百 %d, 千 %d" % (c["shi"], c["bai"], c["qian"]))'
  led=$(median "$base/service/pairings?limit=100&total=1" "$cookie")
  tbq=$(median "$base/service/tbq" "$cookie")
  ent=$(median "$base/enterprises?limit=100&total=1" "$cookie")
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s ledger page (%d pairings) %8s ms   十百千 %8s ms   enterprise page %8s ms   ratio %.2f (target <= 2), 十百千 %.2f\n' \
    "$b" "$N_ENT" "$led" "$tbq" "$ent" "$(python3 -c "print($led / $ent)")" "$(python3 -c "print($tbq / $ent)")"
done
