-- envgov schema 4: state several envgov processes sharing one database must agree on.

-- Failed logins per client address in fixed windows (the per-IP login throttle): counted in
-- the database so that N processes behind a load balancer allow no more than one does.
CREATE TABLE login_throttle (
    ip TEXT PRIMARY KEY,
    win INTEGER NOT NULL,
    failures INTEGER NOT NULL
);
