/*
** The composition root: every module of envgov, once, in dependency order (a module's start
** runs after those above it; stop in reverse). Adding a module is one line here, its folder
** and its migrations (docs/internals/modules.md).
*/
#include "accounts/accounts.h"
#include "approval/approval.h"
#include "calendar/calendar_api.h"
#include "cases/cases.h"
#include "credit/credit.h"
#include "documents/documents.h"
#include "draw/draw.h"
#include "emergency/emergency.h"
#include "inspect/inspect.h"
#include "jobs/jobs.h"
#include "monitor/monitor.h"
#include "patrol/patrol.h"
#include "penalty/penalty.h"
#include "platform/platform.h"
#include "positive/positive.h"
#include "quota/quota.h"
#include "rectify/rectify.h"
#include "registry/registry.h"
#include "repair/repair.h"
#include "request/request.h"
#include "rules/rules.h"
#include "service/service.h"
#include "waste/waste.h"
#include "zoning/zoning.h"

/* One module a line (kept so by hand: a new module is one line of its own in a merge). */
/* clang-format off */
const struct module *const app_modules[] = {
    &platform_module,
    &accounts_module,
    &calendar_module,
    &rules_module,
    &registry_module,
    &monitor_module,
    &documents_module,
    &cases_module,
    &jobs_module,
    &credit_module,
    &positive_module,
    &draw_module,
    &rectify_module,
    &inspect_module,
    &patrol_module,
    &penalty_module,
    &repair_module,
    &zoning_module,
    &request_module,
    &approval_module,
    &service_module,
    &emergency_module,
    &waste_module,
    &quota_module,
};
/* clang-format on */

const size_t app_n_modules = sizeof app_modules / sizeof app_modules[0];
