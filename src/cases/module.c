/*
** The cases module's descriptor: the case and to-do routes, the alarm handling-limit
** override setting, and the module's to-do sources. The case types (today the alarm type) are
** registered on first use (engine.c).
*/
#include "cases/cases.h"
#include "core/util.h"
#include "store/q_cases.h"

static const struct setting_def settings[] = {
    {"case_alarm_limit", "", false,
     "alarm case deadline overriding the alarm.handling rule set: \"4 work_hours\" or per kind "
     "\"offline=8 work_hours;2 hours\" (units workdays, days, work_hours, hours, minutes, "
     "seconds); empty = the rule set in force"},
};

static void routes(struct router *rt)
{
    cases_case_routes(rt);
    cases_todo_routes(rt);
}

static const struct module_record records[] = {
    {"case", "(SELECT title FROM cases WHERE id = ?5)", &ENTITY_CASE},
};

const struct module cases_module = {
    .name = "cases",
    .routes = routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .todo_sources = cases_todo_sources,
    .n_todo_sources = 2, /* cases_n_todo_sources (todo.c), which is not a constant */
    .records = records,
    .n_records = ARRAY_LEN(records),
};
