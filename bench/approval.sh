#!/usr/bin/env bash
# EIA approval benchmark (prints figures; never a pass/fail test): the 挂账销号 ledger reads the
# applications on a clock with their case (owner, clock state computed against now in SQL, the
# by-clock summary over all of them) and works out the working days used and left of each row
# of the page over the calendar. For each backend in BACKENDS ("sqlite postgresql", either
# alone) it creates a demo database, adds N_APP accepted applications with their eia cases (a
# third past due, a tenth paused), serves it and times, as the approver,
# GET /api/v1/approval/ledger?limit=50 and GET /api/v1/approval/ledger?clock=overdue&limit=50
# beside GET /api/v1/approval/applications?limit=50 (the generic entity list of the same rows,
# the baseline, which pages by cursor without counting) in the same run: the median of RUNS
# requests each, and the ratios. The ledger counts and summarises every row on each request
# (O(N_APP): three scans of the join), so the ratio grows with N_APP; it is reported, not held
# to a target yet.
# Settings (environment): BACKENDS, N_APP (20000), RUNS (7), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_APP=${N_APP:-20000}
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
    url=$(scripts/pg-cluster createdb "$work/pg" bench_approval)
    echo "db = $url" >"$data/envgov.ini"
    sqlrun() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1" >/dev/null; }
  fi
  echo "bench: $b: demo database and $N_APP accepted applications..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises 300 \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  # the cases (subject ids 1000000 + n), then their applications, one per case
  sqlrun "INSERT INTO cases (type, subject_kind, subject_id, title, enterprise_id, region_code, org_unit_id, state, opened_at,
            unit, limit_n, started_at, paused_at, due_at, soon_at, sort_at, updated_at)
          WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_APP)
          SELECT 'eia', 'eia_application', 1000000 + i, '环评审批：基准项目 ' || i, e.id, e.region_code,
            (SELECT MIN(id) FROM org_units), CASE WHEN i % 10 = 0 THEN 'expert_review' ELSE 'accepted' END,
            '2026-11-02T01:00:00Z', 'workdays', 12, 1793581200, CASE WHEN i % 10 = 0 THEN 1794000000 ELSE 0 END,
            CASE WHEN i % 3 = 0 THEN '2026-11-18T16:00:00Z' ELSE '2027-01-05T16:00:00Z' END,
            CASE WHEN i % 3 = 0 THEN '2026-11-15T16:00:00Z' ELSE '2027-01-01T16:00:00Z' END,
            '2026-12-31T16:00:00Z', '2026-11-02T01:00:00Z'
          FROM n JOIN enterprises e ON e.id = 1 + (n.i % 300)"
  sqlrun "INSERT INTO eia_applications (enterprise_id, enterprise_name, region_code, project_name, industry_code, geometry,
            proposed_class, class, route, state, statutory_days, ratio, limit_days, case_id, filed_on, accepted_on, created_at, updated_at)
          SELECT c.enterprise_id, e.name, c.region_code, '基准项目 ' || (c.subject_id - 1000000), e.industry_code,
            '{\"type\":\"Point\",\"coordinates\":[120.1,30.9]}', 'report', 'report', 'normal', 'accepted', 60, 0.2, 12, c.id,
            '2026-10-30', '2026-11-02', '2026-11-02T01:00:00Z', '2026-11-02T01:00:00Z'
          FROM cases c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.type = 'eia' AND c.subject_id > 1000000"
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"approver","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; exit 1; }
  base="http://127.0.0.1:$port/api/v1"
  curl -sf -H "Cookie: $cookie" "$base/approval/ledger?limit=1" |
    python3 -c 'import json,sys; c=json.load(sys.stdin); print("bench: ledger %d rows, by clock %s" % (c["total"], c["summary"]["by_clock"]))'
  ledger=$(median "$base/approval/ledger?limit=50" "$cookie")
  overdue=$(median "$base/approval/ledger?clock=overdue&limit=50" "$cookie")
  list=$(median "$base/approval/applications?limit=50" "$cookie")
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s ledger (%d rows) %8s ms   overdue filter %8s ms   entity list %8s ms   ratio %.2f / %.2f\n' \
    "$b" "$N_APP" "$ledger" "$overdue" "$list" "$(python3 -c "print($ledger / $list)")" "$(python3 -c "print($overdue / $list)")"
done
