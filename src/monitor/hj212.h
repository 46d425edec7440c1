/*
** HJ 212-2017 (and HJ/T 212-2005) codec: pure bytes in, frames out — no sockets, no database.
** Frames are "##" LLLL <data segment, L bytes> CCCC "\r\n" with the Appendix A CRC (not
** CRC-16/MODBUS). Parsing is lenient where the meaning is unambiguous and records every
** deviation in a bit set so the bureau can count them per device; generation is strict.
** All slices (struct str) point into the caller's buffer; nothing is allocated.
*/
#ifndef ENVGOV_MONITOR_HJ212_H
#define ENVGOV_MONITOR_HJ212_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

#define HJ212_MAX_DATA 1024
#define HJ212_MAX_FRAME (2 + 4 + HJ212_MAX_DATA + 4 + 2)

/* Deviations seen in the field, counted per device. */
enum hj212_deviation {
    HJ212_DEV_CRC_LOWER = 1u << 0,     /* CRC in lower-case hex */
    HJ212_DEV_CRC_MODBUS = 1u << 1,    /* CRC computed as CRC-16/MODBUS */
    HJ212_DEV_NO_QN = 1u << 2,         /* QN missing */
    HJ212_DEV_NO_FLAG = 1u << 3,       /* Flag missing */
    HJ212_DEV_FLAG_ODD = 1u << 4,      /* Flag 0, or the 2025 version bits (8-11) */
    HJ212_DEV_MN_FORMAT = 1u << 5,     /* MN not 24 hex characters (2017) */
    HJ212_DEV_TRAILING_SEMI = 1u << 6, /* ";" before the closing && */
    HJ212_DEV_SPACES = 1u << 7,        /* spaces around keys or values */
    HJ212_DEV_LF_ONLY = 1u << 8,       /* "\n" instead of "\r\n" */
    HJ212_DEV_CODE_2005 = 1u << 9,     /* 2005 factor codes in the CP */
    HJ212_DEV_NO_SUFFIX = 1u << 10,    /* factor key without "-Rtd"/"-Avg"... */
    HJ212_DEV_QN_FORMAT = 1u << 11,    /* QN not 17 digits */
};
#define HJ212_N_DEVIATIONS 12
const char *hj212_deviation_name(unsigned bit);

struct hj212_frame {
    struct str qn, st, cn, pw, mn, cp; /* cp: between "CP=&&" and "&&" */
    int flag;                          /* -1 when missing */
    int pnum, pno;                     /* 0 when absent */
    int version;                       /* 2017 (Flag V bit 1, or 2025's value 2), 2005 */
    bool ack_wanted;                   /* Flag A bit */
    unsigned deviations;               /* enum hj212_deviation bits */
    struct str data;                   /* the whole data segment */
};

/* The Appendix A CRC of p[0..n). "123456789" → 0x2F80; empty → 0xFFFF. */
uint16_t hj212_crc(const void *p, size_t n);

/*
** Parse one frame from buf[0..len), which should start at "##". On success fill *out (slices
** into buf), set *used to the frame's length and return 0. Return ERR_AGAIN when more bytes
** are needed, ERR_PROTO with *used set past the bad bytes (at least 1) when the bytes at buf
** are not a valid frame; the caller skips *used bytes and rescans for "##".
** lf_only: accept a lone "\n" terminator (a setting; counted as a deviation).
*/
int hj212_frame_parse(const char *buf, size_t len, bool lf_only, struct hj212_frame *out,
                      size_t *used);

/* One factor value of the CP: code "w01018", suffix "Rtd"; or a plain key "DataTime". */
struct hj212_kv {
    struct str code;   /* factor code, or the whole key when there is no "-" */
    struct str suffix; /* empty for plain keys and keys without suffix */
    struct str value;  /* trimmed; for "//…//" text, the text between the slashes */
    bool text;
};

struct hj212_cp_iter {
    const char *p, *end;
    unsigned deviations;
};

void hj212_cp_begin(struct hj212_cp_iter *it, struct str cp);
/* Next key/value; false at the end. ERR-free: malformed pieces are skipped and counted
   in it->deviations where they have a name. */
bool hj212_cp_next(struct hj212_cp_iter *it, struct hj212_kv *out);

/*
** Build a frame into out[0..cap): "##LLLL" data "CCCC\r\n" with the data segment
** "QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;CP=&&<cp>&&". Returns the frame length, or 0 when it
** does not fit (data segment over 1024 bytes or cap too small). qn may be NULL (omitted).
*/
size_t hj212_frame_build(char *out, size_t cap, const char *qn, const char *st, const char *cn,
                         const char *pw, const char *mn, int flag, const char *cp);
/* Copy the len bytes of frame raw into out (len + 1 bytes) with the value of its PW header
   field replaced by '*' of the same length, for logs people read: the PW is the device's
   credential. The CRC then no longer matches. Returns len. */
size_t hj212_mask_pw(const char *raw, size_t len, char *out);
/* The platform's 9014 data acknowledgement for a frame (same QN, PW, MN; ST=91, Flag=4). */
size_t hj212_reply_9014(char *out, size_t cap, const struct hj212_frame *f);

/*
** Stream reassembler for one TCP connection: feed bytes as they arrive; complete frames are
** passed to on_frame (slices valid only during the call); garbage is skipped (on_garbage gets
** the byte count). The buffer is bounded (2 frames); a connection that keeps sending garbage
** is visible through garbage_bytes.
*/
struct hj212_stream {
    char buf[2 * HJ212_MAX_FRAME];
    size_t len;
    bool lf_only;
    uint64_t frames, garbage_bytes, bad_frames;
};

typedef void (*hj212_frame_fn)(void *ctx, const struct hj212_frame *f, const char *raw,
                               size_t raw_len);
void hj212_stream_init(struct hj212_stream *s, bool lf_only);
void hj212_stream_feed(struct hj212_stream *s, const char *data, size_t n, hj212_frame_fn fn,
                       void *ctx);

#endif
