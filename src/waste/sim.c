/*
** `envgov waste sim`: a simulated intelligent warehouse for the demo and the benchmark. Each of
** --connections workers holds one keep-alive HTTP/1.1 connection to --target and posts pairs of
** device events (a smart-scale weighing, kind generate, then its store_in) with the device's
** token, waiting for each answer (the server answers after its commit) before the next. Prints
** the events acknowledged per second and the ack latency (p50, p99). Blocking POSIX sockets: a
** client tool, not part of the server.
*/
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/cli.h"
#include "waste/internal.h"

struct worker {
    const char *host, *port, *token, *code, *prefix;
    int index;
    int64_t pairs;
    int fd;
    int64_t ok, refused, failed;
    int64_t *lat_us; /* one per event */
    size_t n_lat;
    char rbuf[16384];
    size_t rlen;
};

static int dial(struct worker *w)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(w->host, w->port, &hints, &res)) {
        return ERR_IO;
    }
    w->fd = socket(res->ai_family, SOCK_STREAM, 0);
    int one = 1;
    int rc = w->fd >= 0 && connect(w->fd, res->ai_addr, res->ai_addrlen) == 0 ? 0 : ERR_IO;
    if (!rc) {
        setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    freeaddrinfo(res);
    w->rlen = 0;
    return rc;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) {
            return ERR_IO;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read one response: *status, its body copied into out[cap]; what follows stays buffered. */
static int read_response(struct worker *w, int *status, char *out, size_t cap)
{
    for (;;) {
        w->rbuf[w->rlen] = 0;
        char *end = strstr(w->rbuf, "\r\n\r\n");
        if (end) {
            char *cl = strcasestr(w->rbuf, "\r\nContent-Length:");
            int64_t len = 0;
            if (cl && cl < end) {
                char *v = cl + 17;
                while (*v == ' ') {
                    v++;
                }
                size_t d = strspn(v, "0123456789");
                parse_i64(v, d, &len);
            }
            size_t head = (size_t)(end + 4 - w->rbuf);
            if (w->rlen >= head + (size_t)len) {
                *status = (int)strtol(w->rbuf + 9, NULL, 10);
                snprintf(out, cap, "%.*s", (int)len, w->rbuf + head);
                size_t used = head + (size_t)len;
                memmove(w->rbuf, w->rbuf + used, w->rlen - used);
                w->rlen -= used;
                return 0;
            }
        }
        if (w->rlen + 1 >= sizeof w->rbuf) {
            return ERR_PROTO;
        }
        ssize_t k = recv(w->fd, w->rbuf + w->rlen, sizeof w->rbuf - 1 - w->rlen, 0);
        if (k <= 0) {
            return ERR_IO;
        }
        w->rlen += (size_t)k;
    }
}

static int post(struct worker *w, const char *json, int *status, char *answer, size_t cap)
{
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "POST /api/v1/waste/device/events HTTP/1.1\r\nHost: %s\r\nAuthorization: "
                     "Device %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     w->host, w->token, strlen(json), json);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (w->fd < 0 && dial(w)) {
            continue;
        }
        if (!send_all(w->fd, req, (size_t)n) && !read_response(w, status, answer, cap)) {
            return 0;
        }
        close(w->fd);
        w->fd = -1;
    }
    return ERR_IO;
}

static void one(struct worker *w, const char *json, char *answer, size_t cap)
{
    int status = 0;
    int64_t t0 = mono_us();
    int rc = post(w, json, &status, answer, cap);
    w->lat_us[w->n_lat++] = mono_us() - t0;
    if (rc) {
        w->failed++;
        answer[0] = 0;
    } else if (status == 200 || status == 201) {
        w->ok++;
    } else {
        w->refused++;
        answer[0] = 0;
    }
}

static void *run(void *arg)
{
    struct worker *w = arg;
    w->fd = -1;
    char json[512], answer[2048];
    for (int64_t i = 0; i < w->pairs; i++) {
        /* a weighing of 50-500 kg, then the same batch into the store */
        unsigned kg = 50 + (unsigned)((i * 7919 + w->index * 104729) % 451);
        snprintf(json, sizeof json,
                 "{\"event_id\":\"%s-%d-%lld-g\",\"kind\":\"generate\",\"waste_code\":\"%s\","
                 "\"weight_kg\":%u,\"container\":\"200L 铁桶\"}",
                 w->prefix, w->index, (long long)i, w->code, kg);
        one(w, json, answer, sizeof answer);
        const char *b = strstr(answer, "\"batch_no\":\"");
        char batch[48] = "";
        if (b) {
            b += 12;
            size_t k = strcspn(b, "\"");
            snprintf(batch, sizeof batch, "%.*s", (int)(k < 47 ? k : 47), b);
        }
        if (!*batch) {
            continue;
        }
        snprintf(json, sizeof json,
                 "{\"event_id\":\"%s-%d-%lld-s\",\"kind\":\"store_in\",\"source_batch\":\"%s\","
                 "\"weight_kg\":%u}",
                 w->prefix, w->index, (long long)i, batch, kg);
        one(w, json, answer, sizeof answer);
    }
    if (w->fd >= 0) {
        close(w->fd);
    }
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t opt_int(const struct cli *c, const char *name, int64_t def)
{
    const char *v = cli_opt(c, name);
    int64_t n;
    return v && !parse_i64(v, strlen(v), &n) ? n : (v ? -1 : def);
}

int waste_cmd_sim(const struct cli *c)
{
    const char *target = cli_opt(c, "target"), *token = cli_opt(c, "token");
    const char *code = cli_opt(c, "code"), *prefix = cli_opt(c, "prefix");
    int64_t events = opt_int(c, "events", 200), conns = opt_int(c, "connections", 1);
    if (c->n_args < 1 || strcmp(c->args[0], "sim") || !token || !*token || events < 2 ||
        events > 10000000 || conns < 1 || conns > 256) {
        fprintf(stderr, "usage: envgov waste sim --token TOKEN [--target HOST:PORT] [--events N "
                        "(2-10000000)] [--connections N (1-256)] [--code 900-041-49] [--prefix "
                        "ID]\n");
        return 2;
    }
    char host[128] = "127.0.0.1", port[16] = "8080", pfx[40];
    if (target) {
        const char *colon = strrchr(target, ':');
        if (colon) {
            snprintf(host, sizeof host, "%.*s", (int)(colon - target), target);
            snprintf(port, sizeof port, "%s", colon + 1);
        } else {
            snprintf(port, sizeof port, "%s", target);
        }
        if (!*host) {
            snprintf(host, sizeof host, "127.0.0.1");
        }
    }
    snprintf(pfx, sizeof pfx, "%s", prefix ? prefix : "");
    if (!*pfx) {
        random_token(6, pfx, sizeof pfx); /* a fresh run: new event ids */
    }
    struct worker *w = xcalloc((size_t)conns, sizeof *w);
    pthread_t *th = xcalloc((size_t)conns, sizeof *th);
    int64_t pairs = events / 2;
    int64_t t0 = mono_us();
    for (int64_t i = 0; i < conns; i++) {
        w[i] = (struct worker){.host = host,
                               .port = port,
                               .token = token,
                               .code = code ? code : "900-041-49",
                               .prefix = pfx,
                               .index = (int)i};
        w[i].pairs = pairs / conns + (i < pairs % conns);
        w[i].lat_us = xcalloc((size_t)w[i].pairs * 2 + 1, sizeof *w[i].lat_us);
        pthread_create(&th[i], NULL, run, &w[i]);
    }
    int64_t ok = 0, refused = 0, failed = 0;
    size_t n = 0;
    for (int64_t i = 0; i < conns; i++) {
        pthread_join(th[i], NULL);
        ok += w[i].ok;
        refused += w[i].refused;
        failed += w[i].failed;
        n += w[i].n_lat;
    }
    double secs = (double)(mono_us() - t0) / 1e6;
    int64_t *all = xcalloc(n + 1, sizeof *all);
    size_t k = 0;
    for (int64_t i = 0; i < conns; i++) {
        memcpy(all + k, w[i].lat_us, w[i].n_lat * sizeof *all);
        k += w[i].n_lat;
        free(w[i].lat_us);
    }
    qsort(all, n, sizeof *all, cmp_i64);
    printf("waste sim: %lld events acked (%lld refused, %lld failed) over %lld connections in "
           "%.2f s: %.0f events/s, ack p50 %.1f ms p99 %.1f ms\n",
           (long long)ok, (long long)refused, (long long)failed, (long long)conns, secs,
           secs > 0 ? (double)ok / secs : 0, n ? (double)all[n / 2] / 1000 : 0,
           n ? (double)all[n * 99 / 100] / 1000 : 0);
    free(all);
    free(w);
    free(th);
    return failed || refused ? 1 : 0;
}
