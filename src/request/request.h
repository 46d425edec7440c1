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

/* ---------------- pure parts (tests/unit/request/) ---------------- */

/* Great-circle distance in metres between two WGS 84 points (haversine, mean radius). */
double request_distance_m(double lat1, double lng1, double lat2, double lng2);
/* Whether lat/lng are finite WGS 84 degrees. */
bool request_point_valid(double lat, double lng);
/* A new tracking code "TS" + 10 characters of an alphabet without look-alikes, from the
   random bytes rnd[0..10) into out (>= 13 bytes). */
void request_tracking_code(const unsigned char rnd[10], char out[13]);
/* Whether s has the shape of a tracking code (what the public page accepts). */
bool request_tracking_code_valid(const char *s);
/* The request case type's state → Open311 status: "open" or "closed". */
const char *request_open311_status(const char *state);
/* Escape s[0..n) for XML text and attribute values into out (&, <, >, ", ' and control
   characters other than tab/newline dropped). */
void request_xml_escape(struct buf *out, const char *s, size_t n);
/* An Open311 date (ISO-8601 with a time zone: "2026-12-01T08:00:00+08:00", "…Z") → UTC ISO
   "YYYY-MM-DDTHH:MM:SSZ" into out. ERR_INPUT when it is not one (a time zone is required). */
int request_iso_to_utc(const char *s, char out[32]);
/* The Open311 window: start/end (NULL = absent) at now (unix seconds) → UTC ISO bounds
   [start, end). Defaults: end = now, start = end − 90 days; ERR_INPUT (with *field) for a bad
   date, start after end or a span over 90 days. */
int request_open311_window(const char *start, const char *end, int64_t now, char from[32],
                           char to[32], const char **field);

/* The case type "request" (registered at seed). */
void request_case_register(void);

/* The value of key in an application/x-www-form-urlencoded body[0..n) ("+" and %XX decoded)
   into out[0..cap): its length, or -1 when the key is absent or the value does not fit or
   holds a bad escape or a NUL. Pure. */
int request_form_value(const char *body, size_t n, const char *key, char *out, size_t cap);
