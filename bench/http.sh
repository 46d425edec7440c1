#!/usr/bin/env bash
# HTTP benchmark (prints figures; never a pass/fail test). Builds envgov and a minimal
# libmicrohttpd "hello" server; for each backend in BACKENDS ("sqlite postgresql", either alone)
# creates a 10,000-enterprise demo database (PostgreSQL: a throwaway cluster from
# scripts/pg-cluster in the temp dir), serves it, logs in, then runs wrk against: the enterprise
# list (limit=50), a single enterprise, a static asset, and a list of 200 and the live board (its
# 150 points) with and without Accept-Encoding: gzip, printing the bytes of each answer after the
# table; the backends run one after the other,
# one envgov server at a time. The hello server, serving a body of the same size as the static
# asset, runs once. Prints one table with req/s, p50/p99 latency and the ratio to the hello
# server, one column group per backend. Targets (2 cores shared with wrk): list >= 15k req/s,
# single GET >= 30k req/s, p99 < 20 ms at 64 connections, static within 10% of hello.
# Settings (environment): BACKENDS, DURATION (10s), CONNS (64), THREADS (2), N_ENT (10000), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
N_ENT=${N_ENT:-10000}
. bench/lib.sh
parse_backends
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/bootstrap installs it)"; exit 1; }
cmake --build "$BUILD" >/dev/null
make_workdir
cc -O2 -o "$work/hello" bench/hello.c $(pkg-config --cflags --libs libmicrohttpd)

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
# wrk run → "req/s p50 p99"
run() {
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'
}
hport=$(free_port)
asset=/js/app.js
hello=""
declare -A res ids size
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  port=$(free_port); hj=$(free_port)
  while [ "$port" = "$hj" ] || [ "$port" = "$hport" ] || [ "$hj" = "$hport" ]; do
    port=$(free_port); hj=$(free_port)
  done
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    echo "db = $(scripts/pg-cluster createdb "$work/pg" bench_http)" >"$data/envgov.ini"
  fi
  echo "bench: $b: creating a demo database with $N_ENT enterprises..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; cat "$work/serve-$b.log"; exit 1; }
  id=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=1&sort=id" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  ids[$b]=$id
  if [ -z "$hello" ]; then # the baseline, once: a body as large as the static asset
    asset_bytes=$(curl -sf "http://127.0.0.1:$port$asset" | wc -c)
    "$work/hello" "$hport" "$(nproc)" "$asset_bytes" &
    hello_pid=$!
    sleep 0.3
    echo "bench: hello baseline..."
    hello=$(run "http://127.0.0.1:$hport$asset")
    kill "$hello_pid"; wait "$hello_pid" 2>/dev/null || true
  fi
  echo "bench: $b: wrk runs..."
  res[$b,static]=$(run "http://127.0.0.1:$port$asset")
  res[$b,single]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises/$id")
  res[$b,list]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=50")
  # Answers of 32 KiB or more go gzip-compressed to a client that asks (decision 29): a list of
  # 200 and the live board (every point of the demo), each both ways, with the bytes it takes.
  res[$b,list200]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=200")
  res[$b,list200gz]=$(run -H "Cookie: $cookie" -H "Accept-Encoding: gzip" \
    "http://127.0.0.1:$port/api/v1/enterprises?limit=200")
  res[$b,board]=$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/monitor/board")
  res[$b,boardgz]=$(run -H "Cookie: $cookie" -H "Accept-Encoding: gzip" \
    "http://127.0.0.1:$port/api/v1/monitor/board")
  bytes() { curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$@"; }
  size[$b,list200]=$(bytes "http://127.0.0.1:$port/api/v1/enterprises?limit=200")
  size[$b,list200gz]=$(bytes -H "Accept-Encoding: gzip" \
    "http://127.0.0.1:$port/api/v1/enterprises?limit=200")
  size[$b,board]=$(bytes "http://127.0.0.1:$port/api/v1/monitor/board")
  size[$b,boardgz]=$(bytes -H "Accept-Encoding: gzip" "http://127.0.0.1:$port/api/v1/monitor/board")
  kill "$server"; wait "$server" 2>/dev/null || true
done

hello_rps=${hello%% *}
cell() { # "req/s p50 p99" → one column group with the ratio to hello
  local rps p50 p99
  read -r rps p50 p99 <<<"$1"
  [ -n "$rps" ] || { printf " | %-38s" "(no result)"; return; }
  printf " | %10s %8s %8s %8s" "$rps" "$p50" "$p99" \
    "$(python3 -c "print('%.2fx' % ($rps / $hello_rps))")"
}
id_label=${ids[${backends[0]}]}
for b in "${backends[@]}"; do [ "${ids[$b]}" = "$id_label" ] || id_label="{id}"; done
{ # the table (trailing blanks of padded cells trimmed)
printf "%-34s" ""; for b in "${backends[@]}"; do printf " | %-38s" "$b"; done; echo
printf "%-34s" "target"
for _ in "${backends[@]}"; do printf " | %10s %8s %8s %8s" "req/s" "p50" "p99" "ratio"; done; echo
printf "%-34s" "hello (libmicrohttpd baseline)"
cell "$hello"
for _ in "${backends[@]:1}"; do printf " | %-38s" "(baseline, run once)"; done; echo
row() { # label key
  printf "%-34s" "$1"
  for b in "${backends[@]}"; do cell "${res[$b,$2]}"; done; echo
}
row "static $asset ($asset_bytes B)" static
row "GET /api/v1/enterprises/$id_label" single
row "GET /api/v1/enterprises?limit=50" list
row "GET /api/v1/enterprises?limit=200" list200
row "  the same, gzip" list200gz
row "GET /api/v1/monitor/board" board
row "  the same, gzip" boardgz
} | sed 's/ *$//'
for b in "${backends[@]}"; do
  echo "$b bytes per answer: list of 200 ${size[$b,list200]}, gzip ${size[$b,list200gz]};" \
    "board ${size[$b,board]}, gzip ${size[$b,boardgz]}"
done
echo "(wrk -t$THREADS -c$CONNS -d$DURATION on $(nproc) cores shared by server and load;" \
  "ratio = req/s / hello req/s; one envgov server at a time; $N_ENT enterprises per backend)"
for b in "${backends[@]}"; do
  n=$(serve_log_problems "$work/serve-$b.log")
  echo "$b serve log: $n warn/error lines"
  show_first "$SERVE_PROBLEM" "$work/serve-$b.log" "$n"
done
pg_log_check
