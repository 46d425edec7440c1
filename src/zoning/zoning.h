/*
** 三线一单 zoning: environmental control units (环境管控单元: 优先保护 / 重点管控 / 一般管控)
** with their boundaries and access lists (生态环境准入清单) in four dimensions, versioned by
** edition, and the site check that other modules (approval, pre-consultation) call: a point or
** a drawn site → the units it touches → the list items that apply to an industry → a verdict
** with reasons, each citing its item. See docs/internals/zoning.md.
*/
#ifndef ENVGOV_ZONING_ZONING_H
#define ENVGOV_ZONING_ZONING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "platform/module.h"
#include "store/store.h"

extern const struct module zoning_module;

/* A site to check. */
struct zoning_check_req {
    const char *geometry; /* GeoJSON geometry text: Point, Polygon or MultiPolygon, lon/lat
                             (CGCS2000 / WGS 84, EPSG:4490 / 4326) */
    const char *industry; /* national economy industry code (GB/T 4754-2017), the registry's
                             form ("2614", "26", "C") or with the section letter ("C2614");
                             the answer's "industry" is the lettered form. An unknown code is
                             ERR_INPUT with field "industry". NULL or "" = none: every item is
                             reported as it reads */
    const char *edition;  /* NULL or "" = the edition in force */
};

/* The verdict of a site check, from the strongest effect among the items that apply. */
enum zoning_verdict {
    ZV_NO_UNIT,     /* the site touches no unit of the edition */
    ZV_ALLOWED,     /* no item forbids or conditions the industry */
    ZV_CONDITIONAL, /* allowed on conditions (the reasons with effect "condition") */
    ZV_FORBIDDEN,   /* an item forbids it */
};
const char *zoning_verdict_name(enum zoning_verdict v); /* "no_unit" … "forbidden" */

struct zoning_answer {
    enum zoning_verdict verdict;
    bool sensitive; /* the site touches a priority-protection unit or a unit flagged as an
                       environmentally sensitive area: approval raises the EIA class and
                       refuses the commitment route */
    size_t n_units; /* units touched */
    char edition[32];
};

/* Check a site in the caller's read (db the reader or the writer). Fills *ans and appends the
   answer as one JSON object to out:
     {"edition":"…","verdict":"…","sensitive":bool,"industry":"…",
      "units":[{"code":"ZH33050220001","name":"…","kind":"priority|key|general",
                "region_code":"330502","sensitive":bool,"relation":"inside|border|overlaps"}],
      "reasons":[{"unit":"ZH…","dimension":"spatial|emission|risk|resource","item":"1.2",
                  "effect":"forbid|condition|allow","text":"…","industries":"C26,C27"}]}
   ERR_INPUT with *field "geometry" (bad, unsupported or invalid geometry, coordinates outside
   lon/lat range), "industry" (not a GB/T 4754 code, or not in the registry's industries
   table when it has rows) or "edition" (unknown edition);
   ERR_TOOBIG for a site over the vertex cap or an answer over out's cap (nothing usable is
   left in out then). */
int zoning_site_check(struct db *db, const struct zoning_check_req *q, struct zoning_answer *ans,
                      struct buf *out, const char **field);
/* zoning_site_check with, on ERR_INPUT / ERR_TOOBIG, the reason a user reads in why[0..cap)
   ("几何图形无效：Self-intersection[…] / invalid geometry: …"; 600 bytes are enough). */
int zoning_site_check_why(struct db *db, const struct zoning_check_req *q,
                          struct zoning_answer *ans, struct buf *out, const char **field, char *why,
                          size_t cap);

/* A pre-consultation (提前介入 / 招商咨询) record: a planned project's site check and the
   one-time notice of concerns; an EIA application made from it carries it over. */
struct zoning_consult {
    int64_t id;
    int64_t enterprise_id; /* 0 = a prospective investor not (yet) in the registry */
    char project_name[256], builder[256], region_code[16];
    char industry[16]; /* GB/T 4754 with the section letter ("C2614"), or "" */
    char verdict[16];  /* zoning_verdict_name of its site check */
    bool sensitive;
    char created_at[32];
    char *geometry; /* GeoJSON geometry text, malloc'd */
};
/* ERR_NOTFOUND when there is none. Reads through db. Free with zoning_consult_free. */
int zoning_consult_get(struct db *db, int64_t id, struct zoning_consult *out);
void zoning_consult_free(struct zoning_consult *c);
/* Whether who may see consultation c — the rule of the module's own routes (a consultation
   they may not see answers 404 there): an enterprise user its own enterprise's; staff those of
   enterprises in their area, and those without an enterprise whose county their scope covers.
   The approval module refuses to carry over one the caller may not see. false for NULL. */
struct principal;
bool zoning_consult_visible(const struct zoning_consult *c, const struct principal *who);

#endif
