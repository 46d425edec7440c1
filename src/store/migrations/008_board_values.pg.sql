-- envgov schema 8 (PostgreSQL): the live board's values. The gateway's writer keeps each
-- point's latest real-time values of the factors its outlet has limits for, with the limit they
-- are shown against, and writes them with the point's liveness as a small JSON array
-- ([{"factor","value","limit"}]), so the board, polled every 5 s for thousands of points, reads
-- one column instead of seeking every point's newest frame in readings.
ALTER TABLE point_status ADD COLUMN live_values TEXT NOT NULL DEFAULT '';

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again).
-- undo: ALTER TABLE point_status DROP COLUMN live_values
