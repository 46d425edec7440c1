#!/usr/bin/env bash
# Quota benchmark (prints figures; never a pass/fail test): over N_ENT enterprises with four lots
# each, the median of RUNS requests of GET /api/v1/quota/holdings and GET /api/v1/quota/emissions
# (every firm's points' -Cou totals against its holdings), and N_TRADES trades in a row (each one
# transaction: the seller's lots read, taken from, the buyer's lot, the movement, the audit row)
# as trades per second. For each backend in BACKENDS ("sqlite postgresql", either alone).
# Settings (environment): BACKENDS, N_ENT (2000), RUNS (5), N_TRADES (200), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-2000}
RUNS=${RUNS:-5}
N_TRADES=${N_TRADES:-200}
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
    url=$(scripts/pg-cluster createdb "$work/pg" bench_quota)
    echo "db = $url" >"$data/envgov.ini"
    sqlrun() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1" >/dev/null; }
  fi
  echo "bench: $b: demo database ($N_ENT enterprises)..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  for p in cod nh3n so2 nox; do
    sqlrun "INSERT INTO quota_lots (enterprise_id, pollutant, amount_kg, origin, valid_from, valid_to,
            price, serial, created_at, updated_at) SELECT id, '$p', 100000, 'initial', '2026-01-01',
            '2030-12-31', 0, 'PW-2026-' || id || '-$p-bench', '2026-01-01T00:00:00Z',
            '2026-01-01T00:00:00Z' FROM enterprises WHERE id NOT IN (SELECT enterprise_id FROM
            quota_lots WHERE pollutant = '$p')"
  done
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  login=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session")
  cookie=$(printf '%s' "$login" | sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  csrf=$(printf '%s' "$login" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
  [ -n "$cookie" ] && [ -n "$csrf" ] || { echo "bench: login failed on $b"; exit 1; }
  base="http://127.0.0.1:$port/api/v1"
  hold=$(median "$base/quota/holdings" "$cookie")
  emis=$(median "$base/quota/emissions" "$cookie")
  ids=$(curl -sf -H "Cookie: $cookie" "$base/quota/holdings" |
    python3 -c 'import json,sys; s=sorted({i["enterprise_id"] for i in json.load(sys.stdin)["items"]}); print(s[0], s[1])')
  set -- $ids
  start=$(date +%s.%N)
  for _ in $(seq "$N_TRADES"); do
    curl -sf -o /dev/null -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
      -d "{\"seller_id\":$1,\"buyer_id\":$2,\"pollutant\":\"cod\",\"amount_t\":0.01,\"price\":5000}" \
      "$base/quota/trades"
  done
  end=$(date +%s.%N)
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s holdings (%d firms) %8s ms   emissions %8s ms   trades %6.1f /s (%d in a row)\n' \
    "$b" "$N_ENT" "$hold" "$emis" "$(python3 -c "print($N_TRADES / ($end - $start))")" "$N_TRADES"
done
