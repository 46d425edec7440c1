/*
** Requests and complaints (诉求与投诉): enterprise requests (consultation, problem to solve,
** policy question, approval help), public complaints (12369, local hotlines, the online form,
** Open311 GeoReport v2) and staff entries for calls and visits, each a case on the casework
** engine with a tracking code, handled to the end (受理 → 转办 → 办理 → 办结 → 回访) and
** answered. This header is what later modules (service: pairing, service days, key-project risk
** ledger) read. See docs/internals/request.md.
*/
#ifndef ENVGOV_REQUEST_REQUEST_H
#define ENVGOV_REQUEST_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "platform/module.h"
#include "store/store.h"

extern const struct module request_module;

/* The open requests (not closed, not rejected) of an enterprise, newest first, at most max
   (1..500), appended to out as a JSON array of
     {"id":…,"tracking_code":"…","kind":"request|complaint","category":"…","title":"…",
      "state":"…","channel":"…","received_at":"…","due_at":"…"|null,"clock":"on_track|due_soon|overdue|paused|stopped|none"}.
   Reads through db. ERR_INPUT for a bad max. */
int request_open_for_enterprise(struct db *db, int64_t enterprise_id, int max, struct buf *out);

/* The number of open requests of an enterprise. */
int request_open_count(struct db *db, int64_t enterprise_id, int64_t *count);

/* Complaints with a location within radius_m metres (WGS 84) of lat/lng received on or after
   since (YYYY-MM-DD; NULL = any), newest first, at most max (1..500), appended to out as a JSON
   array of {"id","tracking_code","category","state","received_at","lat","lng","distance_m"}.
   ERR_INPUT for a bad radius (0 < radius_m <= 50000), coordinates or max. */
int request_near(struct db *db, double lat, double lng, double radius_m, const char *since, int max,
                 struct buf *out);

#endif
