/* libFuzzer driver: the HJ 212 stream reassembler, frame parser and CP iterator on bytes from
   the network, split at a point the input chooses. */
#include <stddef.h>
#include <stdint.h>

#include "monitor/hj212.h"

static void on_frame(void *ctx, const struct hj212_frame *f, const char *raw, size_t len)
{
    (void)raw, (void)len;
    struct hj212_cp_iter it;
    struct hj212_kv kv;
    hj212_cp_begin(&it, f->cp);
    while (hj212_cp_next(&it, &kv)) {
        *(size_t *)ctx += kv.value.len + kv.code.len;
    }
    char reply[HJ212_MAX_FRAME + 1];
    hj212_reply_9014(reply, sizeof reply, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hj212_stream s;
    size_t sum = 0;
    hj212_stream_init(&s, size && (data[0] & 1));
    size_t cut = size ? data[0] % (size + 1) : 0;
    hj212_stream_feed(&s, (const char *)data, cut, on_frame, &sum);
    hj212_stream_feed(&s, (const char *)data + cut, size - cut, on_frame, &sum);
    return 0;
}
