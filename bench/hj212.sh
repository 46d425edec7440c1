#!/usr/bin/env bash
# HJ 212 benchmark (prints figures; not pass/fail), for each backend in BACKENDS side by side.
# 1. Codec: frames/s per core parsing + CRC on a realistic 2011/2051/2061 mix with 6-12 factors
#    (target >= 1,000,000). Once: it does not touch a database.
# 2. End to end on this machine, acks after commit: N simulated devices (default 5,000)
#    registered as points, `envgov hj212 sim` at rising rates; sustained frames/s, values/s,
#    ack p50/p99 and server RSS (targets: >= 50,000 frames/s, p99 < 50 ms at 20,000 frames/s,
#    RSS < 200 MB with 10,000 idle connections). One envgov server per backend: SQLite
#    (DATA/envgov.db, WAL, synchronous=FULL) and PostgreSQL (a throwaway cluster from
#    scripts/pg-cluster in the temp dir, default settings: fsync and synchronous_commit on).
#    After each run the script waits until that server (and the cluster) is idle again; a server
#    still busy with its backlog after SETTLE_MAX (30) seconds is killed and started again, its
#    queue dropped, so that no run shares the CPU with the previous one's backlog.
#    Under each run the writer's own account from /metrics: frames per batch and its time per
#    frame by phase (dedup, frames, store, prune, commit; see the operator guide's metrics).
#    Each simulator run starts its data times (and so its QNs) where the previous run's ended
#    (--from; one second per frame of a device, as a real-time upload), so no run repeats a
#    frame of another: every acked frame is stored.
# 3. Ceiling: the same simulator load against bench/lineecho.c, a bare libuv server that answers
#    every line at once (no parsing, no database), run once per rate; then envgov on each backend
#    at that rate, with its acked frames/s as a ratio of the ceiling.
# 4. Server RSS: started, after the runs (the largest at the end of a run), holding IDLE (default
#    10,000) idle device connections, per backend; for PostgreSQL also the cluster's own processes
#    (RSS sum and PSS sum: the RSS sum counts shared buffers once per process that touched them,
#    PSS shares them out).
# 5. Summary table per backend, then checks: each serve log's warn/error lines, the PostgreSQL
#    log's ERROR/FATAL lines, and acks not back when the simulator stops waiting (sent - acked,
#    after its 2 s drain: a saturated server still holds them in its queue, or the kernel does
#    while the gateway has paused reading above hj212_queue_max).
# Settings (environment): BACKENDS ("sqlite postgresql", either alone), DEVICES, RATES (frames/s
# per device, "1 4 10 20"), SECONDS_PER_RUN (8), SETTLE_MAX (30), IDLE, IDLE_SECONDS (20), BUILD.
# Runtime at the defaults with both backends on 2 cores: about 5-6 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
DEVICES=${DEVICES:-5000}
RATES=${RATES:-1 4 10 20}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
IDLE=${IDLE:-10000}
IDLE_SECONDS=${IDLE_SECONDS:-20}
. bench/lib.sh
parse_backends
make_workdir
cmake --build "$BUILD" >/dev/null
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/codec" bench/hj212_codec.c src/monitor/hj212.c \
  src/core/util.c src/core/log.c $(pkg-config --cflags --libs libsodium)
cc -O2 -std=c17 -D_GNU_SOURCE -o "$work/lineecho" bench/lineecho.c $(pkg-config --cflags --libs libuv)
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
echo "== codec"
"$work/codec"

rss() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }
# The cluster's processes (postmaster and its children; other clusters on the machine are not
# counted) → "RSS sum MB, PSS sum MB, process count".
pg_mem() {
  local pm pids
  pm=$(head -1 "$work/pg/data/postmaster.pid")
  pids="$pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
  local rss_kb=0 pss_kb=0 n=0 p r s
  for p in $pids; do
    r=$(ps -o rss= -p "$p" 2>/dev/null) || continue
    s=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    rss_kb=$((rss_kb + r)); pss_kb=$((pss_kb + ${s:-0})); n=$((n + 1))
  done
  echo "RSS sum $((rss_kb / 1024)) MB, PSS sum $((pss_kb / 1024)) MB, $n processes"
}

points=$(( DEVICES > IDLE ? DEVICES : IDLE ))
echo "== end to end ($DEVICES devices, acks after commit; backends: ${backends[*]})"
declare -A data hj httpp server rss_start rss_runs rss_idle established max_acked max_at p99_at \
  p99_rate unacked errors restarts
start_server() { # backend → envgov serve on fresh ports (server[b], hj[b]), up and listening
  local b=$1 http
  http=$(free_port); hj[$b]=$(free_port)
  while [ "${hj[$b]}" = "$http" ]; do hj[$b]=$(free_port); done
  httpp[$b]=$http
  ENVGOV_ACCESS_LOG=off ENVGOV_LOG_LEVEL=warn "$BUILD/envgov" serve --data "${data[$b]}" \
    --http "127.0.0.1:$http" --hj212 "127.0.0.1:${hj[$b]}" 2>>"$work/serve-$b.log" &
  server[$b]=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$http/healthz" >/dev/null ||
    { echo "bench: envgov did not start on $b"; cat "$work/serve-$b.log"; exit 1; }
  [ -n "$(ss -Htln "( sport = :${hj[$b]} )")" ] ||
    { echo "bench: envgov does not listen on ${hj[$b]} ($b)"; cat "$work/serve-$b.log"; exit 1; }
}
for b in "${backends[@]}"; do
  data[$b]=$work/data-$b
  mkdir -p "${data[$b]}"
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_hj212)
    echo "db = $url" >"${data[$b]}/envgov.ini" # before demo: demo, sim and serve all read it
  fi
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "${data[$b]}" --enterprises 10 \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  # Register the simulated devices as points of the first enterprise (bench set-up only).
  if [ "$b" = sqlite ]; then
    python3 - "${data[$b]}/envgov.db" "$points" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
now = '2026-11-22T00:00:00Z'
db.executemany("INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)"
               " VALUES (1, ?, ?, '654321', ?, ?)",
               [('B3C4%020d' % i, 'sim %d' % i, now, now) for i in range(n)])
db.commit()
PY
  else
    psql -X -q -v ON_ERROR_STOP=1 -v n="$points" "$url" <<'SQL'
INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)
SELECT 1, 'B3C4' || lpad(i::text, 20, '0'), 'sim ' || i, '654321',
       '2026-11-22T00:00:00Z', '2026-11-22T00:00:00Z'
FROM generate_series(0, :n - 1) AS i;
ANALYZE points;
SQL
  fi
  start_server "$b"
  rss_start[$b]=$(rss "${server[$b]}")
  max_acked[$b]=0; max_at[$b]=0; p99_at[$b]=""; p99_rate[$b]=0; unacked[$b]=0; errors[$b]=0
  rss_runs[$b]=0; restarts[$b]=0
done
echo_port=$(free_port)
"$work/lineecho" "$echo_port" &
echo=$!
sleep 0.2
kill -0 $echo 2>/dev/null || { echo "bench: lineecho did not start"; exit 1; }

sim() { # target rate from_unix_s → the simulator's summary line (the first backend's registry:
  # same devices)
  local from
  from=$(date -u -d "@$(($3 + 8 * 3600))" +%Y%m%d%H%M%S)
  "$BUILD/envgov" hj212 sim --data "${data[${backends[0]}]}" --target "$1" --devices "$DEVICES" \
    --rate "$2" --seconds "$SECONDS_PER_RUN" --from "$from" 2>/dev/null || echo "sim failed (exit $?)"
}
from_s=$(date +%s)
field() { # sed pattern line → number (empty when missing)
  sed -n "s/$1/\\1/p" <<<"$2"
}
acked_fps() { field '.* \([0-9]*\) frames\/s.*' "$1"; }
# A saturated server still works off its queue after the simulator has gone (the gateway
# stops reading above hj212_queue_max, but only per connection, on its next read: the queue can
# hold most of what was sent). Wait until envgov (and, for PostgreSQL, the cluster) is idle:
# < 5% of a core over 0.5 s. Still busy after SETTLE_MAX seconds: kill -9 and start it again,
# dropping its queue, so that the next run does not share the CPU with the backlog.
SETTLE_MAX=${SETTLE_MAX:-30}
cpu_ticks() { # pids → utime + stime of all, in clock ticks
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo $t
}
settle() { # backend → busy: ", server caught up N s later", the restart, or empty (idle < 1 s)
  local b=$1 t0 t1 a c caught="" pids=("${server[$1]}")
  [ "$b" != postgresql ] || mapfile -t -O 1 pids < <(pgrep -P "$(head -1 "$work/pg/data/postmaster.pid")")
  t0=$(date +%s.%N)
  for _ in $(seq $((SETTLE_MAX * 2))); do
    a=$(cpu_ticks "${pids[@]}"); sleep 0.5; c=$(cpu_ticks "${pids[@]}")
    [ $((c - a)) -gt 2 ] || { caught=1; break; }
  done
  t1=$(python3 -c "print('%.1f' % ($(date +%s.%N) - $t0 - 0.5))")
  local r; r=$(rss "${server[$b]}")
  [ "$r" -le "${rss_runs[$b]}" ] || rss_runs[$b]=$r
  if [ -z "$caught" ]; then
    kill -9 "${server[$b]}"; wait "${server[$b]}" 2>/dev/null || true
    start_server "$b"
    restarts[$b]=$((${restarts[$b]} + 1))
    busy=", server still busy after ${SETTLE_MAX} s: restarted (its queue dropped)"
  elif [ "${t1%.*}" -ge 1 ]; then
    busy=", server caught up ${t1} s later"
  else
    busy=""
  fi
}
short() { sed "s/^devices $DEVICES ($DEVICES registered), //" <<<"$1"; }
# The writer's own account (/metrics): batches, frames and time per phase, before and after a
# run → mean batch size and writer µs per frame by phase (decision 27).
writer_metrics() { curl -sf "http://127.0.0.1:${httpp[$1]}/metrics" | grep -E '^envgov_hj212_(batch|writer)' || true; }
writer_delta() { # before after → one line
  python3 - "$1" "$2" <<'PY'
import re, sys
def parse(t):
    return {m.group(1): float(m.group(2)) for m in re.finditer(r'^(\S+) ([\d.]+)$', t, re.M)}
a, b = parse(sys.argv[1]), parse(sys.argv[2])
d = {k: b[k] - a.get(k, 0) for k in b}
frames, batches = d.get('envgov_hj212_batch_frames_total', 0), d.get('envgov_hj212_batches_total', 0)
if frames <= 0 or batches <= 0:
    sys.exit(0)
ph = [(m.group(1), v) for k, v in d.items() for m in [re.match(r'envgov_hj212_writer_seconds_total\{phase="(\w+)"\}', k)] if m]
print('writer: %.0f frames per batch; us per frame %s, total %.1f' % (
    frames / batches, ' '.join('%s %.1f' % (n, v * 1e6 / frames) for n, v in ph),
    sum(v for _, v in ph) * 1e6 / frames))
PY
}
printf "%-16s %-11s %s\n" "offered" "server" "result (devices $DEVICES, all registered unless shown)"
for rate in $RATES; do
  offered=$(python3 -c "print(round($DEVICES * $rate))")
  ceiling=$(sim "127.0.0.1:$echo_port" "$rate" "$from_s")
  c_fps=$(acked_fps "$ceiling")
  printf "%-16s %-11s %s\n" "$offered frames/s" "lineecho" "$(short "$ceiling")"
  for b in "${backends[@]}"; do
    m0=$(writer_metrics "$b")
    line=$(sim "127.0.0.1:${hj[$b]}" "$rate" "$from_s")
    fps=$(acked_fps "$line")
    ratio=$(python3 -c "print('%.2fx' % (${fps:-0} / max(1, ${c_fps:-0})))")
    r0=${restarts[$b]}
    settle "$b" # not in $(...): it sets globals (busy, server, hj, rss_runs)
    printf "%-16s %-11s %s  | %s of the ceiling%s\n" "" "$b" "$(short "$line")" "$ratio" "$busy"
    # (after a restart the counters started over: nothing to compare)
    [ "${restarts[$b]}" != "$r0" ] || printf "%-28s %s\n" "" "$(writer_delta "$m0" "$(writer_metrics "$b")")"
    [ "${fps:-0}" -le "${max_acked[$b]}" ] || { max_acked[$b]=$fps; max_at[$b]=$offered; }
    p99=$(field '.* p99 \([0-9.]*\) ms.*' "$line")
    if [ -n "$p99" ] && [ "$offered" -le 20000 ] && [ "$offered" -ge "${p99_rate[$b]}" ]; then
      p99_at[$b]=$p99; p99_rate[$b]=$offered
    fi
    s=$(field '.*sent \([0-9]*\) .*' "$line"); a=$(field '.*acked \([0-9]*\),.*' "$line")
    e=$(field '.*errors \([0-9]*\).*' "$line")
    unacked[$b]=$(( ${unacked[$b]} + ${s:-0} - ${a:-0} )); errors[$b]=$(( ${errors[$b]} + ${e:-0} ))
  done
  # The next run's data times start after this one's (frames per device, a minute to spare).
  from_s=$(python3 -c "print($from_s + int($rate * $SECONDS_PER_RUN) + 60)")
done
kill -0 $echo 2>/dev/null && echo "lineecho RSS after the runs: $(rss $echo) MB"
pg_after_runs=""; pg_idle=""
[ -z "$pg_started" ] || pg_after_runs=$(pg_mem)
[ -z "$pg_started" ] || echo "postgres server after the runs: $pg_after_runs"
kill $echo 2>/dev/null || true

for b in "${backends[@]}"; do
  echo "== idle connections on $b ($IDLE devices, one frame each, then silent)"
  "$BUILD/envgov" hj212 sim --data "${data[$b]}" --target "127.0.0.1:${hj[$b]}" --devices "$IDLE" \
    --idle --seconds "$IDLE_SECONDS" >"$work/idle-$b.out" 2>/dev/null &
  idle_sim=$!
  for _ in $(seq 40); do
    sleep 0.5
    n=$(ss -Htn state established "( sport = :${hj[$b]} )" | wc -l)
    [ "$n" -ge "$IDLE" ] && break
  done
  sleep 3
  established[$b]=$n
  rss_idle[$b]=$(rss "${server[$b]}")
  again=""; [ "${restarts[$b]}" -eq 0 ] || again=" (restarts: ${restarts[$b]}, see above)"
  echo "established: $n; server RSS: started ${rss_start[$b]} MB, after the load runs" \
    "${rss_runs[$b]} MB (the largest at the end of a run)$again, holding $n idle connections" \
    "${rss_idle[$b]} MB"
  if [ "$b" = postgresql ]; then
    pg_idle=$(pg_mem)
    echo "postgres server while envgov holds them: $pg_idle"
  fi
  wait $idle_sim || true
  cat "$work/idle-$b.out"
  s=$(field '.*sent \([0-9]*\) .*' "$(cat "$work/idle-$b.out")")
  a=$(field '.*acked \([0-9]*\),.*' "$(cat "$work/idle-$b.out")")
  unacked[$b]=$(( ${unacked[$b]} + ${s:-0} - ${a:-0} ))
done

echo "== summary"
printf "%-11s | %-28s | %-22s | %s\n" "backend" "max acked frames/s" "p99 at 20,000 offered" \
  "RSS idle $IDLE"
for b in "${backends[@]}"; do
  if [ -z "${p99_at[$b]}" ]; then p="n/a"
  elif [ "${p99_rate[$b]}" -eq 20000 ]; then p="${p99_at[$b]} ms"
  else p="${p99_at[$b]} ms (at ${p99_rate[$b]})"; fi
  extra=""; [ "${established[$b]}" -ge "$IDLE" ] || extra=" (only ${established[$b]} established)"
  printf "%-11s | %-28s | %-22s | %s\n" "$b" "${max_acked[$b]} (offered ${max_at[$b]})" "$p" \
    "${rss_idle[$b]} MB$extra"
done
if [ -n "$pg_started" ]; then
  echo "postgres server (not in envgov's RSS): after the load runs $pg_after_runs;"
  echo "  while envgov holds the idle connections $pg_idle"
fi

echo "== checks"
for b in "${backends[@]}"; do
  n=$(serve_log_problems "$work/serve-$b.log")
  echo "$b: acks not back by the end of the 2 s drain ${unacked[$b]}, simulator errors ${errors[$b]}," \
    "serve log warn/error lines $n"
  show_first "$SERVE_PROBLEM" "$work/serve-$b.log" "$n"
done
pg_log_check
