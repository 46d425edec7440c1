#!/usr/bin/env bash
# Open311 benchmark (prints figures; never a pass/fail test): for each backend in BACKENDS
# ("sqlite postgresql", either alone) a demo database is served, an admin makes an Open311 key,
# and wrk runs: POST /open311/v2/requests.json (form-encoded, api_key; each a complaint filed
# with its repeat check, case, audit row — one write transaction each), then GET
# /open311/v2/requests.json and .xml (the last 90 days, at most 1,000 rows: the POSTs leave more
# than that), beside the entity list GET /api/v1/enterprises?limit=50 in the same run (the
# baseline). Prints req/s, p50 and p99 and the ratio to the entity list. Targets (2 cores shared
# with wrk): POST >= 300 req/s, a 1,000-row GET >= 50 req/s, XML within 1.5x of JSON.
# Settings (environment): BACKENDS, DURATION (10s), CONNS (16), THREADS (2), N_ENT (1000), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
N_ENT=${N_ENT:-1000}
. bench/lib.sh
parse_backends
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/bootstrap installs it)"; exit 1; }
cmake --build "$BUILD" >/dev/null
make_workdir

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
# wrk run → "req/s p50 p99 non2xx"
run() {
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF}
         END {print rps, p50, p99, (bad == "" ? 0 : bad)}'
}
declare -A res rows
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  port=$(free_port); hj=$(free_port)
  while [ "$port" = "$hj" ]; do hj=$(free_port); done
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    echo "db = $(scripts/pg-cluster createdb "$work/pg" bench_open311)" >"$data/envgov.ini"
  fi
  echo "bench: $b: demo database with $N_ENT enterprises..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  # a burst large enough that the public bucket never refuses the benchmark's one address
  ENVGOV_ACCESS_LOG=off ENVGOV_REQUEST_FORM_BURST=100000000 "$BUILD/envgov" serve --data "$data" \
    --http "127.0.0.1:$port" --hj212 "127.0.0.1:$hj" 2>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  hdrs=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session")
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p' <<<"$hdrs")
  csrf=$(sed -n '/^\r\{0,1\}$/,$p' <<<"$hdrs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; cat "$work/serve-$b.log"; exit 1; }
  key=$(curl -sf -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench","per_minute":1000000}' "http://127.0.0.1:$port/api/v1/open311/keys" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
  # next year's working-day calendar (weekends and New Year), so complaints filed late in the year
  # get their deadline, as in production once the State Council's calendar is loaded
  next=$(($(TZ=Asia/Shanghai date +%Y) + 1))
  curl -sf -X PUT -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
    -d "{\"year\":$next,\"source\":\"bench\",\"holidays\":[{\"name\":\"元旦\",\"from\":\"$next-01-01\",\"to\":\"$next-01-01\"}],\"workdays\":[]}" \
    "http://127.0.0.1:$port/api/v1/calendar/$next" >/dev/null || true
  # each POST a point of its own inside 长兴县 (so the repeat check sees a realistic few nearby)
  cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  local lat = 30.95 + (n % 997) * 0.0001
  local lng = 119.85 + (n % 991) * 0.0001
  return wrk.format(nil, nil, nil, "api_key=$key&service_code=noise&description=bench+" .. n ..
    "&lat=" .. lat .. "&long=" .. lng .. "&address_string=bench")
end
LUA
  echo "bench: $b: wrk runs..."
  res[$b,list]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=50")
  res[$b,post]=$(run -s "$work/post.lua" "http://127.0.0.1:$port/open311/v2/requests.json")
  rows[$b]=$(curl -sf "http://127.0.0.1:$port/open311/v2/requests.json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  res[$b,json]=$(run "http://127.0.0.1:$port/open311/v2/requests.json")
  res[$b,xml]=$(run "http://127.0.0.1:$port/open311/v2/requests.xml")
  kill "$server"; wait "$server" 2>/dev/null || true
done

cell() { # "req/s p50 p99 non2xx" baseline-req/s → a column group
  local rps p50 p99 bad
  read -r rps p50 p99 bad <<<"$1"
  [ -n "$rps" ] || { printf " | %-46s" "(no result)"; return; }
  printf " | %9s %8s %8s %7s %8s" "$rps" "$p50" "$p99" "$bad" "$(python3 -c "print('%.2fx' % ($rps / max($2, 0.01)))")"
}
{
printf "%-44s" ""; for b in "${backends[@]}"; do printf " | %-46s" "$b"; done; echo
printf "%-44s" ""; for _ in "${backends[@]}"; do printf " | %9s %8s %8s %7s %8s" "req/s" "p50" "p99" "non-2xx" "vs list"; done; echo
row() {
  printf "%-44s" "$1"
  for b in "${backends[@]}"; do read -r base _ <<<"${res[$b,list]}"; cell "${res[$b,$2]}" "$base"; done; echo
}
row "GET /api/v1/enterprises?limit=50 (baseline)" list
row "POST /open311/v2/requests.json" post
row "GET /open311/v2/requests.json (rows below)" json
row "GET /open311/v2/requests.xml" xml
} | sed 's/ *$//'
for b in "${backends[@]}"; do echo "$b: GET requests answers ${rows[$b]} rows"; done
echo "(wrk -t$THREADS -c$CONNS -d$DURATION on $(nproc) cores shared by server and load; $N_ENT enterprises)"
for b in "${backends[@]}"; do
  n=$(serve_log_problems "$work/serve-$b.log")
  echo "$b serve log: $n warn/error lines"
  show_first "$SERVE_PROBLEM" "$work/serve-$b.log" "$n"
done
pg_log_check
