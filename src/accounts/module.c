/*
** The accounts module's descriptor: users, sessions and tokens (routes), the password hashing
** pool inside `envgov serve`, the session and login settings, and `envgov user`.
*/
#include "accounts/accounts.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "platform/cli.h"
#include "store/q_accounts.h"
#include "store/store.h"

static const struct setting_def settings[] = {
    {"session_idle_min", "30", true, "session idle expiry (minutes)"},
    {"session_max_hours", "12", true, "session absolute expiry (hours)"},
    {"secure_cookies", "auto", false, "Secure flag on cookies: on, off, auto (when TLS-proxied)"},
    {"login_max_failures", "5", true, "failed logins before lockout"},
    {"login_lockout_min", "15", true, "lockout duration (minutes)"},
    {"password_min_len", "10", true, "minimum password length"},
    {"hash_threads", "2", true, "argon2id hashing threads (off the request threads)"},
    {"session_prune_schedule", "", false,
     "schedule of the job sessions.prune (default \"every 600\"; \"every N\" seconds, "
     "\"daily HH:MM\")"},
};

static const struct job_def jobs[] = {
    {"sessions.prune", "every 600", "session_prune_schedule", accounts_sessions_prune, 60,
     "清理过期会话 / Remove expired sessions"},
};

static int start(char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    accounts_start();
    return 0;
}

static const char *const user_opts[] = {
    "username", "role", "display_name", "org_unit", "enterprise", "password", NULL};

static const struct module_command commands[] = {
    {"user", cmd_user, "manage users: add, list, disable, enable, reset-password",
     "envgov user add --username NAME --role ROLE [--display-name TEXT] [--org-unit ID]\n"
     "                [--enterprise ID] [--password PW]\n"
     "envgov user list | disable NAME | enable NAME | reset-password NAME   [--data DIR]",
     user_opts},
};

const struct module accounts_module = {
    .name = "accounts",
    .routes = accounts_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .start = start,
    .stop = accounts_stop,
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .audit_kinds = accounts_audit_kinds,
};
