-- envgov schema 2 (PostgreSQL): online monitoring over HJ 212 — readings, message
-- de-duplication, the quarantine of frames from unknown or wrongly authenticated devices,
-- per-device protocol deviation counters and the raw-frame log. Translation of 002_monitor.sql
-- (same tables, columns, keys and indexes; types as in 001_foundation.pg.sql), except that
-- readings is partitioned by month and comes with its partition maintenance functions.

-- Readings, partitioned by month of data_time: the device's China local time as text
-- 'YYYY-MM-DD HH:MM:SS'. Partition readings_YYYYMM holds FROM ('YYYY-MM') TO (next month's
-- 'YYYY-MM'), which in text order is exactly the strings starting with that month. Rows of a
-- month without a partition land in readings_default until envgov_ensure_partitions moves them.
CREATE TABLE readings (
    point_id BIGINT NOT NULL REFERENCES points(id),
    cn TEXT NOT NULL,
    data_time TEXT NOT NULL,
    factor TEXT NOT NULL,
    kind TEXT NOT NULL,
    value DOUBLE PRECISION,
    flag TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    PRIMARY KEY (point_id, cn, data_time, factor, kind)
) PARTITION BY RANGE (data_time);
CREATE TABLE readings_default PARTITION OF readings DEFAULT;
CREATE INDEX readings_data_time_brin ON readings USING brin (data_time);

-- Create the monthly partitions from the month before ref's through months_ahead months after
-- it (ref: a data time 'YYYY-MM…', or 'now' for the current China time, UTC+8), moving rows of
-- those months out of readings_default: each partition is filled as a standalone table, then
-- attached. Existing partitions are kept. Returns how many partitions it created.
CREATE FUNCTION envgov_ensure_partitions(months_ahead integer, ref text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    parent regclass := 'readings'::regclass;
    nsp text := (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = parent);
    cols text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                  WHERE attrelid = parent AND attnum > 0 AND NOT attisdropped);
    base date;
    m date;
    part text;
    rel regclass;
    lo text;
    hi text;
    created integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'envgov_ensure_partitions: months_ahead must be >= 0, not %', months_ahead;
    END IF;
    IF lower(ref) = 'now' THEN
        base := date_trunc('month', now() AT TIME ZONE 'UTC' + interval '8 hours');
    ELSIF ref ~ '^\d{4}-(0[1-9]|1[0-2])' THEN
        base := to_date(left(ref, 7), 'YYYY-MM');
    ELSE
        RAISE EXCEPTION 'envgov_ensure_partitions: ref % is neither a data time nor now', ref;
    END IF;
    -- Servers sharing the database run this at start: one at a time.
    PERFORM pg_advisory_xact_lock(hashtext('envgov_readings_partitions'));
    FOR i IN -1 .. months_ahead LOOP
        m := base + make_interval(months => i);
        part := 'readings_' || to_char(m, 'YYYYMM');
        rel := to_regclass(format('%s.%I', nsp, part));
        IF rel IS NOT NULL THEN
            IF NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = rel AND inhparent = parent) THEN
                RAISE EXCEPTION 'envgov_ensure_partitions: % exists but is not a partition of readings', rel;
            END IF;
            CONTINUE;
        END IF;
        lo := to_char(m, 'YYYY-MM');
        hi := to_char(m + interval '1 month', 'YYYY-MM');
        -- Writers wait (readers do not) until the month's rows have left the default partition,
        -- which ATTACH then rescans.
        EXECUTE format('LOCK TABLE %s.readings_default IN EXCLUSIVE MODE', nsp);
        EXECUTE format('CREATE TABLE %s.%I (LIKE %s INCLUDING DEFAULTS)', nsp, part, parent);
        EXECUTE format('WITH moved AS (DELETE FROM %1$s.readings_default WHERE data_time >= %3$L'
                       ' AND data_time < %4$L RETURNING %5$s) INSERT INTO %1$s.%2$I (%5$s)'
                       ' SELECT %5$s FROM moved', nsp, part, lo, hi, cols);
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s.%I FOR VALUES FROM (%L) TO (%L)',
                       parent, nsp, part, lo, hi);
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;

-- Drop the monthly partitions whose whole range lies before cutoff (a data time): those whose
-- upper bound is <= cutoff. Rows in readings_default are left alone. Returns how many it dropped.
CREATE FUNCTION envgov_drop_partitions_before(cutoff text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    p record;
    dropped integer := 0;
BEGIN
    IF cutoff IS NULL THEN
        RAISE EXCEPTION 'envgov_drop_partitions_before: cutoff is NULL';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('envgov_readings_partitions'));
    FOR p IN
        SELECT c.oid::regclass AS rel,
               substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']*)''\)') AS hi
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'readings'::regclass AND c.relname ~ '^readings_\d{6}$'
    LOOP
        CONTINUE WHEN p.hi IS NULL OR p.hi > cutoff;
        EXECUTE format('DROP TABLE %s', p.rel);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$$;

CREATE TABLE hj212_messages (
    mn TEXT NOT NULL,
    qn TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (mn, qn)
);

CREATE TABLE hj212_quarantine (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    mn TEXT NOT NULL,
    pw TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    peer TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL
);
CREATE INDEX hj212_quarantine_mn ON hj212_quarantine(mn, id);

CREATE TABLE hj212_deviations (
    mn TEXT NOT NULL,
    deviation TEXT NOT NULL,
    count BIGINT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (mn, deviation)
);

CREATE TABLE hj212_frames (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    point_id BIGINT,
    mn TEXT NOT NULL,
    raw TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX hj212_frames_point ON hj212_frames(point_id, id);
CREATE INDEX hj212_frames_time ON hj212_frames(received_at);
