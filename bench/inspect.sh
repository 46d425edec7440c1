#!/usr/bin/env bash
# Inspection benchmark (prints figures; never a pass/fail test): 我的检查任务 among many tasks.
# For each backend in BACKENDS ("sqlite postgresql", either alone) it creates a demo database
# of N_ENT enterprises, adds N_TASKS inspection tasks spread over the county's firms (a tenth
# led by the demo inspector, the rest by the county's other inspectors, each with a second
# inspector), serves it and times, as the inspector, GET /api/v1/inspect/tasks?mine=1&limit=50
# (the inspector's own, with the total) beside GET /api/v1/enterprises?limit=50 (the plain scoped
# list of the same area) in the same run: the median of RUNS requests each, and the ratio.
# Target: my tasks within 2x of the enterprise list (ratio <= 2).
# Settings (environment): BACKENDS, N_ENT (3000), N_TASKS (100000), RUNS (9), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-3000}
N_TASKS=${N_TASKS:-100000}
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
    url=$(scripts/pg-cluster createdb "$work/pg" bench_inspect)
    echo "db = $url" >"$data/envgov.ini"
    sqlrun() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1" >/dev/null; }
  fi
  echo "bench: $b: demo database ($N_ENT enterprises), $N_TASKS tasks..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  # Tasks over the county's firms; lead: the demo inspector for every tenth, else zf01/zf02.
  sqlrun "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_TASKS),
          f AS (SELECT id, region_code, ROW_NUMBER() OVER (ORDER BY id) AS k, COUNT(*) OVER () AS c
                FROM enterprises WHERE region_code = '330522'),
          u AS (SELECT (SELECT id FROM users WHERE username = 'inspector') AS me,
                       (SELECT id FROM users WHERE username = 'zf01') AS a,
                       (SELECT id FROM users WHERE username = 'zf02') AS b)
          INSERT INTO inspect_tasks (enterprise_id, region_code, title, source_kind, purpose, level,
                                     planned_on, lead_user_id, status, created_at, updated_at)
          SELECT f.id, f.region_code, 'bench ' || n.i, 'manual', 'routine', 'enforcement',
                 '2026-12-' || CASE WHEN n.i % 28 < 9 THEN '0' ELSE '' END || CAST(n.i % 28 + 1 AS TEXT),
                 CASE WHEN n.i % 10 = 0 THEN u.me WHEN n.i % 2 = 0 THEN u.a ELSE u.b END,
                 CASE WHEN n.i % 3 = 0 THEN 'done' ELSE 'scheduled' END,
                 '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'
          FROM n JOIN f ON f.k = (n.i % f.c) + 1 CROSS JOIN u"
  sqlrun "INSERT INTO inspect_task_inspectors (task_id, user_id, seq) SELECT id, lead_user_id, 1 FROM inspect_tasks"
  sqlrun "INSERT INTO inspect_task_inspectors (task_id, user_id, seq)
          SELECT t.id, (SELECT id FROM users WHERE username = 'zf01'), 2 FROM inspect_tasks t
          WHERE t.lead_user_id <> (SELECT id FROM users WHERE username = 'zf01')"
  if [ "$b" = postgresql ]; then sqlrun "ANALYZE"; fi
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"inspector","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; exit 1; }
  base="http://127.0.0.1:$port/api/v1"
  curl -sf -H "Cookie: $cookie" "$base/inspect/tasks?mine=1&limit=1" |
    python3 -c 'import json,sys; c=json.load(sys.stdin); print("bench: the inspector has %d tasks" % c["total"])'
  mine=$(median "$base/inspect/tasks?mine=1&limit=50" "$cookie")
  ents=$(median "$base/enterprises?limit=50" "$cookie")
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s my inspections (of %d tasks) %8s ms   enterprise list %8s ms   ratio %.2f (target <= 2)\n' \
    "$b" "$N_TASKS" "$mine" "$ents" "$(python3 -c "print($mine / $ents)")"
done
