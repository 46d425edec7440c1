/*
** The monitor module's descriptor: the HJ 212 gateway and the notifier inside `envgov serve`,
** the monitoring routes, the gateway's and alarms' settings, `envgov hj212`, and /metrics.
*/
#include "core/log.h"
#include "core/util.h"
#include "monitor/monitor.h"
#include "platform/cli.h"
#include "store/q_monitor.h"

static const struct setting_def settings[] = {
    {"hj212", "127.0.0.1:9212", false, "HJ 212 gateway listen [ADDR:]PORT"},
    {"hj212_max_connections", "20000", true, "HJ 212 gateway connection cap"},
    {"hj212_idle_s", "600", true, "close a device connection silent this long (seconds)"},
    {"hj212_batch_ms", "0", true, "longest wait to gather frames into one transaction"},
    {"hj212_batch_max", "2000", true, "most frames in one transaction"},
    {"hj212_dedup_hours", "48", true,
     "keep (MN, QN) this long to acknowledge a re-sent frame without storing it again (hours)"},
    {"hj212_queue_max", "20000", true, "frames in flight before the gateway stops reading"},
    {"hj212_garbage_max", "65536", true, "bytes of garbage before a device is disconnected"},
    {"hj212_lf_only", "off", false, "accept frames ending in a bare LF (on/off)"},
    {"alarm_sweep_s", "30", true, "how often offline, auto-close and derivation run (seconds)"},
    {"command_timeout_s", "120", true, "platform command without an answer: timeout (seconds)"},
    {"webhook_retry_s", "30", true, "first webhook retry delay; doubles per attempt (seconds)"},
    {"webhook_max_attempts", "6", true, "webhook attempts before a delivery is failed"},
    {"webhook_timeout_s", "5", true, "webhook request timeout (seconds)"},
    {"sms_gateway_url", "", false,
     "SMS gateway endpoint the outbound SMS are POSTed to (empty: no SMS are queued)"},
    {"sms_gateway_token", "", false, "bearer token sent to the SMS gateway (empty: none)"},
    {"sms_sign", "生态环境局", false, "signature put before each SMS text (【…】)"},
};

static struct gateway *gw;

static int start(char *err, size_t errcap)
{
    if (gateway_start(settings_get("hj212"), &gw, err, errcap)) {
        return 1;
    }
    notify_start();
    log_info("HJ 212 gateway on %s", settings_get("hj212"));
    return 0;
}

static void stop(void)
{
    gateway_stop(gw);
    gw = NULL;
    notify_stop();
}

static void metrics(struct buf *out)
{
    gateway_metrics_write(out);
    notify_metrics_write(out);
}

static const char *const hj212_opts[] = {"target",  "wait_ms", "devices", "rate",   "seconds",
                                         "bad_crc", "split",   "sticky",  "exceed", "stuck",
                                         "idle",    "from",    "history", NULL};

static const struct module_command commands[] = {
    {"hj212", cmd_hj212, "HJ 212 tools: replay frames from a file; simulate devices",
     "envgov hj212 send FILE [--target [ADDR:]PORT] [--wait-ms N]\n"
     "  FILE: one frame per line, complete (##LLLL...CCCC) or just the data segment (QN=...)\n"
     "envgov hj212 sim [--target [ADDR:]PORT] [--devices N] [--rate FRAMES_PER_S_PER_DEVICE]\n"
     "                 [--seconds N] [--data DIR (registered points: their MN/PW, and their\n"
     "                  outlet's limited factors, valued around half the limit)]\n"
     "                 [--bad-crc PCT] [--split] [--sticky] [--exceed] [--stuck]\n"
     "                 [--idle (one frame per device, then hold the connection open)]\n"
     "                 [--history HOURS (first the past hours' 10-minute, hourly and daily data)]\n"
     "                 [--from YYYYMMDDhhmmss (data time of the first frames; default now)]",
     hj212_opts},
};

const struct module monitor_module = {
    .name = "monitor",
    .routes = monitor_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .start = start,
    .stop = stop,
    .metrics = metrics,
    .dashboard = monitor_dashboard,
    .audit_kinds = monitor_audit_kinds,
};
