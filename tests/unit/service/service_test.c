/*
** The service module's pure parts: the 十百千 tally (a firm counted once per figure however many
** pairings it has, counties in order, the cap), the service day's agenda (requests already on
** it left out, duplicates once, overdue before due soon before the rest, by deadline then
** receipt), the next service day's date (this month's, the next month's, the year's end, bad
** input), and the outbound delivery's pure parts: the retry schedule (doubling, capped) with
** the status after each attempt, and the SMS gateway's payload (signature once, JSON escaping).
** No database.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "monitor/outbound.h"
#include "service/service.h"

static void tbq_counts(void **state)
{
    (void)state;
    /* sorted by county, then enterprise (as the store gives them) */
    const struct service_tbq_row rows[] = {
        {"330502", "吴兴区", "leader", 1},  {"330502", "吴兴区", "manager", 1},
        {"330502", "吴兴区", "staff", 1},   {"330502", "吴兴区", "manager", 2},
        {"330502", "吴兴区", "staff", 3},   {"330522", "长兴县", "staff", 1},
        {"330522", "长兴县", "leader", 7},  {"330522", "长兴县", "leader", 8},
        {"330523", "安吉县", "manager", 9},
    };
    struct service_tbq out[4];
    size_t k = service_tbq_tally(rows, 9, out, 4);
    assert_int_equal(k, 3);
    assert_string_equal(out[0].county, "330502");
    assert_string_equal(out[0].county_name, "吴兴区");
    assert_int_equal(out[0].shi, 1);  /* firm 1 */
    assert_int_equal(out[0].bai, 2);  /* firms 1, 2 */
    assert_int_equal(out[0].qian, 3); /* firms 1, 2, 3 */
    /* the same firm in another county counts there too (it is another pairing's region) */
    assert_int_equal(out[1].shi, 2);
    assert_int_equal(out[1].bai, 0);
    assert_int_equal(out[1].qian, 3);
    assert_int_equal(out[2].shi, 0);
    assert_int_equal(out[2].bai, 1);
    assert_int_equal(out[2].qian, 1);
    /* the cap keeps the first counties whole */
    assert_int_equal(service_tbq_tally(rows, 9, out, 1), 1);
    assert_int_equal(out[0].qian, 3);
    assert_int_equal(service_tbq_tally(rows, 0, out, 4), 0);
}

static void agenda_order(void **state)
{
    (void)state;
    const struct service_agenda_req reqs[] = {
        {10, "on_track", "2026-12-20T00:00:00Z", "2026-12-01T00:00:00Z"},
        {11, "overdue", "2026-12-02T00:00:00Z", "2026-11-20T00:00:00Z"},
        {12, "due_soon", "2026-12-08T00:00:00Z", "2026-11-28T00:00:00Z"},
        {13, "none", NULL, "2026-11-01T00:00:00Z"},
        {14, "overdue", "2026-12-01T00:00:00Z", "2026-11-25T00:00:00Z"},
        {15, "on_track", "2026-12-20T00:00:00Z", "2026-11-30T00:00:00Z"},
        {11, "overdue", "2026-12-02T00:00:00Z", "2026-11-20T00:00:00Z"}, /* listed twice */
        {16, "paused", NULL, "2026-10-01T00:00:00Z"},
        {17, "overdue", "2026-11-30T00:00:00Z", "2026-11-01T00:00:00Z"},
    };
    const int64_t existing[] = {5, 17, 40}; /* 17 is on the agenda already */
    size_t order[9];
    size_t k = service_agenda_plan(reqs, 9, existing, 3, order, 9);
    assert_int_equal(k, 7);
    const int64_t want[] = {14, 11, 12, 15, 10, 16, 13};
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(reqs[order[i]].id, want[i]);
    }
    /* the cap takes the most urgent */
    k = service_agenda_plan(reqs, 9, existing, 3, order, 2);
    assert_int_equal(k, 2);
    assert_int_equal(reqs[order[0]].id, 14);
    assert_int_equal(reqs[order[1]].id, 11);
    /* everything on the agenda already: nothing to add */
    const int64_t all[] = {10, 11, 12, 13, 14, 15, 16, 17};
    assert_int_equal(service_agenda_plan(reqs, 9, all, 8, order, 9), 0);
    assert_int_equal(service_agenda_plan(reqs, 0, NULL, 0, order, 9), 0);
}

static void next_day(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(service_day_next("2026-12-03", 5, out), 0);
    assert_string_equal(out, "2026-12-05");
    assert_int_equal(service_day_next("2026-12-05", 5, out), 0);
    assert_string_equal(out, "2026-12-05"); /* the day itself */
    assert_int_equal(service_day_next("2026-12-06", 5, out), 0);
    assert_string_equal(out, "2027-01-05");
    assert_int_equal(service_day_next("2026-02-28", 28, out), 0);
    assert_string_equal(out, "2026-02-28");
    assert_int_equal(service_day_next("2026-01-31", 1, out), 0);
    assert_string_equal(out, "2026-02-01");
    assert_int_equal(service_day_next("2026-12-01", 29, out), ERR_INPUT);
    assert_int_equal(service_day_next("2026-12-01", 0, out), ERR_INPUT);
    assert_int_equal(service_day_next("2026-02-30", 5, out), ERR_INPUT);
    assert_int_equal(service_day_next("2026-13-01", 5, out), ERR_INPUT);
    assert_int_equal(service_day_next("2026-1-1", 5, out), ERR_INPUT);
    assert_int_equal(service_day_next(NULL, 5, out), ERR_INPUT);
}

static void retry_schedule(void **state)
{
    (void)state;
    assert_int_equal(notify_retry_delay(30, 0), 30);
    assert_int_equal(notify_retry_delay(30, 1), 60);
    assert_int_equal(notify_retry_delay(30, 5), 960);
    assert_int_equal(notify_retry_delay(1, 16), 65536);
    assert_int_equal(notify_retry_delay(1, 40), 65536); /* the doubling stops at 2^16 */
    assert_int_equal(notify_retry_delay(30, -1), 30);
    /* six attempts: five retries, then failed; a success is sent whenever it comes */
    assert_string_equal(notify_status_after(false, 0, 6), "pending");
    assert_string_equal(notify_status_after(false, 4, 6), "pending");
    assert_string_equal(notify_status_after(false, 5, 6), "failed");
    assert_string_equal(notify_status_after(true, 5, 6), "sent");
    assert_string_equal(notify_status_after(true, 0, 1), "sent");
    assert_string_equal(notify_status_after(false, 0, 1), "failed");
}

static void sms_payload(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 16);
    outbound_sms_payload(&b, 42, "13800000000", "风险\"A\"已逾期\n请处置", "湖州生态环境");
    json_t *j = json_loadb(b.p, b.len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 42);
    assert_string_equal(json_string_value(json_object_get(j, "to")), "13800000000");
    assert_string_equal(json_string_value(json_object_get(j, "text")),
                        "【湖州生态环境】风险\"A\"已逾期\n请处置");
    assert_string_equal(json_string_value(json_object_get(j, "sign")), "湖州生态环境");
    json_decref(j);
    /* a text already signed is not signed twice; no signature: the text as it is */
    buf_reset(&b);
    outbound_sms_payload(&b, 1, "1", "【湖州生态环境】已签名", "湖州生态环境");
    j = json_loadb(b.p, b.len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "text")), "【湖州生态环境】已签名");
    json_decref(j);
    buf_reset(&b);
    outbound_sms_payload(&b, 2, "1", "无签名", "");
    j = json_loadb(b.p, b.len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "text")), "无签名");
    assert_string_equal(json_string_value(json_object_get(j, "sign")), "");
    json_decref(j);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tbq_counts),  cmocka_unit_test(agenda_order),
        cmocka_unit_test(next_day),    cmocka_unit_test(retry_schedule),
        cmocka_unit_test(sms_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
