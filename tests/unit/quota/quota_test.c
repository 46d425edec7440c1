/*
** The quota module's pure part on the shipped quota.rights body (read from the embedded
** data/rules file as the seed loads it): a pledged part of a lot never moves (trade, buyback,
** retirement and a second pledge take only the free part, expired lots give nothing), the
** replacement ratios and required quantities, the priority order (≥ 5 bn fully guaranteed,
** ≥ 1 bn first in line, livelihood, the rest; by submission within a tier) and the reserve
** served whole-or-nothing without overtaking, the pledge cap (70 %) and the check's reasons,
** and emissions against holdings. No database.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/embed.h"
#include "core/err.h"
#include "quota/quota.h"

static struct quota_rules R;

static int setup(void **state)
{
    (void)state;
    const struct embed_file *f = embed_find("data/rules/quota.rights.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    const json_t *v = json_array_get(json_object_get(doc, "versions"), 0);
    char err[200];
    assert_int_equal(quota_rules_parse(json_object_get(v, "body"), &R, err, sizeof err), 0);
    json_decref(doc);
    return 0;
}

static struct quota_lot lot(int64_t id, int64_t amount, int64_t pledged, const char *to)
{
    struct quota_lot l = {.id = id, .amount = amount, .pledged = pledged, .active = true};
    snprintf(l.valid_from, sizeof l.valid_from, "2021-01-01");
    snprintf(l.valid_to, sizeof l.valid_to, "%s", to);
    return l;
}

static void encumbrance(void **state)
{
    (void)state;
    /* 10 t of which 7 t pledged, 3 t free; an expired 5 t lot; a free 2 t lot */
    struct quota_lot lots[3] = {lot(1, 10000, 7000, "2030-12-31"), lot(2, 5000, 0, "2025-12-31"),
                                lot(3, 2000, 0, "2030-12-31")};
    int64_t take[3], free_kg;
    assert_int_equal(quota_lot_free(&lots[0], "2026-06-01"), 3000);
    assert_int_equal(quota_lot_free(&lots[1], "2026-06-01"), 0);
    assert_int_equal(quota_lot_free(&lots[1], "2025-12-31"), 5000);
    /* 6 t cannot move: only 5 t are free */
    assert_int_equal(quota_take(lots, 3, 6000, "2026-06-01", take, &free_kg), ERR_CONFLICT);
    assert_int_equal(free_kg, 5000);
    assert_true(take[0] == 0 && take[1] == 0 && take[2] == 0);
    /* 4 t: 3 t from the first lot's free part, 1 t from the third */
    assert_int_equal(quota_take(lots, 3, 4000, "2026-06-01", take, &free_kg), 0);
    assert_int_equal(take[0], 3000);
    assert_int_equal(take[1], 0);
    assert_int_equal(take[2], 1000);
    /* a fully pledged lot gives nothing, nor does a retired one */
    lots[0].pledged = 10000;
    lots[2].active = false;
    assert_int_equal(quota_take(lots, 3, 1, "2026-06-01", take, &free_kg), ERR_CONFLICT);
    assert_int_equal(free_kg, 0);
    /* a second pledge takes only what is free */
    lots[0].pledged = 7000;
    assert_int_equal(quota_encumber(lots, 3, 3000, "2026-06-01", take, &free_kg), 0);
    assert_int_equal(take[0], 3000);
    assert_int_equal(quota_encumber(lots, 3, 3001, "2026-06-01", take, &free_kg), ERR_CONFLICT);
    assert_int_equal(quota_kg(1.2345), 1235);
    assert_int_equal(quota_kg(-1), -1);
}

static void ratios(void **state)
{
    (void)state;
    assert_true(R.eligible[QP_COD] && R.eligible[QP_NH3N] && R.eligible[QP_SO2] &&
                R.eligible[QP_NOX] && !R.eligible[QP_VOCS]);
    assert_true(quota_ratio(&R, false) == 1.0);
    assert_true(quota_ratio(&R, true) == 2.0);
    assert_int_equal(quota_required(12500, quota_ratio(&R, false)), 12500);
    assert_int_equal(quota_required(12500, quota_ratio(&R, true)), 25000);
    assert_int_equal(quota_required(1001, 1.5), 1502); /* rounded up: never short */
    assert_true(R.share_percent == 70.0);
}

static struct quota_claim claim(int64_t id, int tier, const char *at, int64_t cod, int64_t nox)
{
    struct quota_claim c = {.id = id, .tier = tier};
    snprintf(c.submitted_at, sizeof c.submitted_at, "%s", at);
    c.need[QP_COD] = cod;
    c.need[QP_NOX] = nox;
    return c;
}

static void priority(void **state)
{
    (void)state;
    assert_int_equal(quota_tier(&R, 6e9, false), QT_FULL);
    assert_int_equal(quota_tier(&R, 5e9, true), QT_FULL);
    assert_int_equal(quota_tier(&R, 4.99e9, false), QT_FIRST);
    assert_int_equal(quota_tier(&R, 1e9, false), QT_FIRST);
    assert_int_equal(quota_tier(&R, 2e8, true), QT_LIVELIHOOD);
    assert_int_equal(quota_tier(&R, 2e8, false), QT_NORMAL);
    /* submitted in this order: a normal project, a livelihood one, a 1 bn one, a 5 bn one, an
       earlier normal one */
    struct quota_claim c[5] = {
        claim(1, QT_NORMAL, "2026-03-01T00:00:00Z", 1000, 0),
        claim(2, QT_LIVELIHOOD, "2026-03-02T00:00:00Z", 2000, 0),
        claim(3, QT_FIRST, "2026-03-03T00:00:00Z", 3000, 500),
        claim(4, QT_FULL, "2026-03-04T00:00:00Z", 4000, 1000),
        claim(5, QT_NORMAL, "2026-02-01T00:00:00Z", 600, 0),
    };
    bool served[5];
    /* enough for the 5 bn, the 1 bn and the livelihood project, not for the normal ones after */
    int64_t reserve[QP_N] = {[QP_COD] = 9500, [QP_NOX] = 1500};
    assert_int_equal(quota_serve(c, 5, reserve, served), 3);
    int64_t order[5] = {4, 3, 2, 5, 1};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c[i].id, order[i]);
    }
    assert_true(served[0] && served[1] && served[2] && !served[3] && !served[4]);
    assert_int_equal(reserve[QP_COD], 500);
    assert_int_equal(reserve[QP_NOX], 0);
    /* short for the first in order: nobody behind it is served, even one that would fit */
    struct quota_claim d[2] = {claim(7, QT_FIRST, "2026-01-02T00:00:00Z", 0, 2000),
                               claim(8, QT_NORMAL, "2026-01-01T00:00:00Z", 100, 0)};
    int64_t r2[QP_N] = {[QP_COD] = 1000, [QP_NOX] = 1000};
    assert_int_equal(quota_serve(d, 2, r2, served), 0);
    assert_true(!served[0] && !served[1]);
    assert_int_equal(r2[QP_COD], 1000);
}

static void pledge(void **state)
{
    (void)state;
    assert_true(quota_pledge_cap(&R, 1000000) == 700000);
    assert_true(quota_pledge_cap(&R, 1234567) == 864196); /* 864196.9 rounded down */
    assert_true(quota_pledge_cap(&R, -5) == 0);
    struct quota_pledge_facts f = {
        .pollutant = QP_COD, .amount = 5000, .free_kg = 8000, .credit_grade = "B"};
    assert_int_equal(quota_pledge_reasons(&R, &f), 0);
    f.free_kg = 4999;
    assert_int_equal(quota_pledge_reasons(&R, &f), QR_HOLDINGS);
    f.free_kg = 8000;
    f.over_quota_last_year = true;
    f.major_incident = true;
    f.credit_grade = "D";
    assert_int_equal(quota_pledge_reasons(&R, &f), QR_OVER_QUOTA | QR_INCIDENT | QR_CREDIT);
    f = (struct quota_pledge_facts){.pollutant = QP_VOCS, .amount = 1, .free_kg = 1};
    assert_int_equal(quota_pledge_reasons(&R, &f), QR_INELIGIBLE);
}

static void usage(void **state)
{
    (void)state;
    assert_int_equal(quota_usage(&R, 8000, 10000), QU_OK);
    assert_int_equal(quota_usage(&R, 9000, 10000), QU_WARNING);
    assert_int_equal(quota_usage(&R, 10000.5, 10000), QU_OVER);
    assert_int_equal(quota_usage(&R, 1, 0), QU_NO_RIGHTS);
    assert_int_equal(quota_usage(&R, 0, 0), QU_OK);
}

static void bad_rules(void **state)
{
    (void)state;
    struct quota_rules r;
    char err[200];
    json_t *b = json_pack("{s:[s]}", "pollutants", "pm25");
    assert_int_equal(quota_rules_parse(b, &r, err, sizeof err), ERR_INPUT);
    json_decref(b);
    b = json_pack("{s:[s],s:{s:f,s:f}}", "pollutants", "cod", "replacement", "default_ratio", 0.5,
                  "missed_target_ratio", 2.0);
    assert_int_equal(quota_rules_parse(b, &r, err, sizeof err), ERR_INPUT);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encumbrance), cmocka_unit_test(ratios), cmocka_unit_test(priority),
        cmocka_unit_test(pledge),      cmocka_unit_test(usage),  cmocka_unit_test(bad_rules),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
