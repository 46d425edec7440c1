#!/usr/bin/env bash
# Emergency benchmark (prints figures; never a pass/fail test): the control list of an alert over
# N_ENT graded enterprises with two sheet lines each (every line's action capped by the grade,
# sums by region and pollutant, the shortfall) beside GET /api/v1/enterprises/export (the same
# enterprises read and written as CSV) in the same run: the median of RUNS requests each, and the
# ratio. For each backend in BACKENDS ("sqlite postgresql", either alone).
# Settings (environment): BACKENDS, N_ENT (10000), RUNS (7), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-10000}
RUNS=${RUNS:-7}
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
    url=$(scripts/pg-cluster createdb "$work/pg" bench_emergency)
    echo "db = $url" >"$data/envgov.ini"
    sqlrun() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1" >/dev/null; }
  fi
  echo "bench: $b: demo database ($N_ENT enterprises)..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; exit 1; }
  base="http://127.0.0.1:$port/api/v1"
  sqlrun "INSERT INTO emergency_grades (enterprise_id, grade, livelihood, low_voc, updated_at)
          SELECT id, CASE id % 6 WHEN 0 THEN 'A' WHEN 1 THEN 'B' WHEN 2 THEN 'B-' WHEN 3 THEN 'C'
          WHEN 4 THEN 'D' ELSE 'leading' END, CASE WHEN id % 50 = 0 THEN 1 ELSE 0 END,
          CASE WHEN id % 7 = 0 THEN 1 ELSE 0 END, '2026-01-01T00:00:00Z' FROM enterprises"
  for k in 1 2; do
    sqlrun "INSERT INTO emergency_lines (enterprise_id, name, process, base_so2, base_nox, base_pm, base_vocs, plan_json, updated_at)
            SELECT id, '生产线$k', '工序', 100, 80, 40, 20,
            '{\"blue\":{\"action\":\"self\",\"so2\":5},\"yellow\":{\"action\":\"limit\",\"so2\":10,\"nox\":8},\"orange\":{\"action\":\"stop_part\",\"so2\":30,\"nox\":20,\"pm\":10},\"red\":{\"action\":\"stop\"}}',
            '2026-01-01T00:00:00Z' FROM enterprises"
  done
  sqlrun "INSERT INTO emergency_alerts (level, regions, starts_at, ends_at, rule_set_id, created_at)
          SELECT 'orange', '33', '2026-01-01 00:00:00', '2030-01-01 00:00:00', MIN(id),
          '2026-01-01T00:00:00Z' FROM rule_sets WHERE kind = 'emergency.levels'"
  aid=$(curl -sf -H "Cookie: $cookie" "$base/emergency/alerts" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  curl -sf -H "Cookie: $cookie" "$base/emergency/alerts/$aid/control" |
    python3 -c 'import json,sys; c=json.load(sys.stdin); print("bench: %d firms, %d lines, SO2 shortfall %.0f kg/d" % (len(c["firms"]), sum(len(f["lines"]) for f in c["firms"]), c["total"]["shortfall"]["so2"]))'
  ctl=$(median "$base/emergency/alerts/$aid/control" "$cookie")
  exp=$(median "$base/enterprises/export" "$cookie")
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s control list (%d firms) %8s ms   enterprise export %8s ms   ratio %.2f\n' \
    "$b" "$N_ENT" "$ctl" "$exp" "$(python3 -c "print($ctl / $exp)")"
done
