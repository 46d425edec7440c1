#!/usr/bin/env bash
# Draw benchmark (prints figures; never a pass/fail test): a 双随机 draw over N_ENT (1,000,000)
# enterprises with credit weights (credit_current for 80 %), 2 % on the positive list, and
# recusal over N_INSP (2,000) inspectors (N_DECL declared relationships and the inspectors of a
# previous draw of N_PREV targets), beside reading the same pool from the database in the same
# run (bench/draw.c). SQLite. Target (issue 13): the draw within 2x of the read.
# Settings (environment): N_ENT, N_INSP, N_DECL (20000), N_PREV (50000), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N_ENT=${N_ENT:-1000000}
N_INSP=${N_INSP:-2000}
N_DECL=${N_DECL:-20000}
N_PREV=${N_PREV:-50000}
. bench/lib.sh
make_workdir
cmake --build "$BUILD" >/dev/null
libs="pangocairo pangoft2 fontconfig harfbuzz-subset cairo libqrencode libsodium jansson sqlite3 libpq
  libmicrohttpd libuv libzip expat xlsxwriter zlib libcurl icu-i18n icu-uc"
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/draw" bench/draw.c "$BUILD/libenvgov_lib.a" \
  $(pkg-config --cflags --libs $libs) -lm -lpthread
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
echo "bench: demo database, then $N_ENT enterprises, $N_INSP inspectors, $N_DECL declarations, a previous draw of $N_PREV..."
"$BUILD/envgov" demo --data "$work/data" --enterprises 10 >"$work/demo.log" 2>&1
start=$(date +%s.%N)
# The sqlite3 shell knows no zh collation: the indexes in it go (the draw reads none of them).
zh=$(sqlite3 "$work/data/envgov.db" "SELECT group_concat('DROP INDEX ' || name || ';', ' ') FROM sqlite_master WHERE type = 'index' AND sql LIKE '%COLLATE zh%'")
sqlite3 "$work/data/envgov.db" >/dev/null <<SQL
$zh
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE r AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM (SELECT DISTINCT region_code AS code FROM enterprises);
CREATE TEMP TABLE ind AS SELECT industry_code AS code FROM enterprises LIMIT 1;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_ENT)
INSERT INTO enterprises (uscc, name, region_code, industry_code, category, status, created_at, updated_at)
SELECT printf('B%017d', i), printf('基准企业%07d', i), (SELECT code FROM r WHERE k = i % (SELECT COUNT(*) FROM r)),
       (SELECT code FROM ind), CASE WHEN i % 100 < 28 THEN 'key' WHEN i % 100 < 33 THEN 'special' ELSE 'general' END,
       'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since)
SELECT 'enterprise', id, CASE id % 5 WHEN 0 THEN 'green' WHEN 1 THEN 'blue' WHEN 2 THEN 'blue' WHEN 3 THEN 'yellow' ELSE 'red' END,
       80, 0, 0, '2026-01-01' FROM enterprises WHERE id % 10 < 8;
INSERT INTO positive_list (enterprise_id, listed_from, listed_to) SELECT id, '2025-01-01', '2028-01-01' FROM enterprises WHERE id % 50 = 7;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_INSP)
INSERT INTO users (username, display_name, role, org_unit_id, password_hash, password_changed_at, created_at, updated_at)
SELECT printf('bench_insp_%05d', i), printf('执法人员%05d', i), 'inspector', (SELECT org_unit_id FROM users WHERE username = 'inspector'),
       'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
CREATE TEMP TABLE insp AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users WHERE role = 'inspector';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_DECL)
INSERT INTO draw_declarations (user_id, enterprise_id, reason, declared_at)
SELECT (SELECT id FROM insp WHERE k = (i * 7919) % $N_INSP), (i * 104729) % $N_ENT + 1, '基准', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO draw_plans (period, categories, visit_from, visit_to, state, created_at, updated_at)
VALUES ('2026Q3', 'general,key,special', '2026-07-01', '2026-09-30', 'drawn', '2026-07-01T00:00:00Z', '2026-07-01T00:00:00Z');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_PREV)
INSERT INTO draw_targets (plan_id, seq, enterprise_id, category, weight, visit_date)
SELECT (SELECT MAX(id) FROM draw_plans), i, (i * 15485863) % $N_ENT + 1, 'general', 1000, '2026-08-01' FROM n;
INSERT INTO draw_target_inspectors (target_id, user_id, seq)
SELECT t.id, (SELECT id FROM insp WHERE k = (t.id * 31) % $N_INSP), 1 FROM draw_targets t;
INSERT INTO draw_target_inspectors (target_id, user_id, seq)
SELECT t.id, (SELECT id FROM insp WHERE k = (t.id * 31 + 1) % $N_INSP), 2 FROM draw_targets t;
COMMIT;
ANALYZE;
SQL
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "bench: data ready in %.0f s\n", e - s }'
"$work/draw" "$work/data"
