/*
** HJ 212 codec throughput: frames/s on one core, parsing + CRC + walking every CP value, over
** a realistic mix (2011 real-time, 2051 minute, 2061 hour; 6-12 factors each). Also the same
** bytes through the stream reassembler. Prints figures; not a test.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "monitor/hj212.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *W[] = {"w01018", "w21003", "w21011", "w21001", "w01001", "w00000"};
static const char *A[] = {"a21026", "a21002", "a34013", "a19001", "a01011", "a01012",
                          "a01013", "a01014", "a00000", "a21005", "a24088", "a21001"};

static size_t make_frame(char *out, size_t cap, int k)
{
    char cp[1024];
    size_t n = 0;
    const char *cn = k % 3 == 0 ? "2011" : k % 3 == 1 ? "2051" : "2061";
    bool air = k % 2;
    int factors = air ? 6 + k % 7 : 6;
    n += (size_t)snprintf(cp + n, sizeof cp - n, "DataTime=20261122%02d%02d00", k % 24, k % 60);
    for (int i = 0; i < factors; i++) {
        const char *code = air ? A[i] : W[i];
        if (!strcmp(cn, "2011")) {
            n += (size_t)snprintf(cp + n, sizeof cp - n, ";%s-Rtd=%d.%d,%s-Flag=N", code,
                                  10 + i * 7, k % 10, code);
        } else {
            n += (size_t)snprintf(cp + n, sizeof cp - n,
                                  ";%s-Avg=%d.%d,%s-Min=%d,%s-Max=%d,%s-Flag=N", code, 10 + i,
                                  k % 10, code, 9 + i, code, 12 + i, code);
        }
        if (n > 900) {
            break;
        }
    }
    char qn[18];
    snprintf(qn, sizeof qn, "20261122%09d", k);
    return hj212_frame_build(out, cap, qn, air ? "31" : "32", cn, "123456",
                             "010000A8900016F000169DC0", 5, cp);
}

static void count_values(void *ctx, const struct hj212_frame *f, const char *raw, size_t len)
{
    (void)raw, (void)len;
    struct hj212_cp_iter it;
    struct hj212_kv kv;
    hj212_cp_begin(&it, f->cp);
    while (hj212_cp_next(&it, &kv)) {
        (*(size_t *)ctx)++;
    }
}

int main(void)
{
    enum { N = 1000 };
    static char frames[N][HJ212_MAX_FRAME + 1];
    static size_t lens[N];
    static char joined[N * (HJ212_MAX_FRAME + 1)];
    size_t total = 0, bytes = 0;
    for (int i = 0; i < N; i++) {
        lens[i] = make_frame(frames[i], sizeof frames[i], i);
        memcpy(joined + bytes, frames[i], lens[i]);
        bytes += lens[i];
    }
    size_t values = 0;
    int rounds = 2000;
    double t0 = now();
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++) {
            struct hj212_frame f;
            size_t used;
            if (hj212_frame_parse(frames[i], lens[i], false, &f, &used) == 0) {
                count_values(&values, &f, NULL, 0);
                total++;
            }
        }
    }
    double t1 = now();
    printf("codec: %.0f frames/s/core (parse + CRC + CP walk), %.1f factor values per frame, "
           "avg %zu B/frame\n",
           (double)total / (t1 - t0), (double)values / (double)total, bytes / N);
    static struct hj212_stream s;
    size_t v2 = 0;
    hj212_stream_init(&s, false);
    t0 = now();
    for (int r = 0; r < rounds / 4; r++) {
        for (size_t off = 0; off < bytes; off += 1460) { /* TCP-segment-sized reads */
            size_t k = bytes - off < 1460 ? bytes - off : 1460;
            hj212_stream_feed(&s, joined + off, k, count_values, &v2);
        }
    }
    t1 = now();
    printf("stream: %.0f frames/s/core through the reassembler (1460-byte reads)\n",
           (double)s.frames / (t1 - t0));
    return 0;
}
