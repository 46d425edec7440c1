/*
** HJ 212 codec; see hj212.h. The frame is located by its length field, never by "\r\n";
** the CRC decides validity; the data segment is split into header fields and the CP.
*/
#include "monitor/hj212.h"

#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/err.h"

static const char *const deviation_names[HJ212_N_DEVIATIONS] = {
    "crc_lower_case",     "crc_modbus", "no_qn",   "no_flag",    "flag_unusual",       "mn_format",
    "trailing_semicolon", "spaces",     "lf_only", "codes_2005", "key_without_suffix", "qn_format",
};

const char *hj212_deviation_name(unsigned bit)
{
    for (unsigned i = 0; i < HJ212_N_DEVIATIONS; i++) {
        if (bit == 1u << i) {
            return deviation_names[i];
        }
    }
    return "unknown";
}

/* T[x] = x shifted through the reflected 0xA001 polynomial 8 times (Appendix A, table form). */
static const uint16_t CRC_TABLE[256] = {
    0x0000, 0xC0C1, 0xC181, 0x0140, 0xC301, 0x03C0, 0x0280, 0xC241, 0xC601, 0x06C0, 0x0780, 0xC741,
    0x0500, 0xC5C1, 0xC481, 0x0440, 0xCC01, 0x0CC0, 0x0D80, 0xCD41, 0x0F00, 0xCFC1, 0xCE81, 0x0E40,
    0x0A00, 0xCAC1, 0xCB81, 0x0B40, 0xC901, 0x09C0, 0x0880, 0xC841, 0xD801, 0x18C0, 0x1980, 0xD941,
    0x1B00, 0xDBC1, 0xDA81, 0x1A40, 0x1E00, 0xDEC1, 0xDF81, 0x1F40, 0xDD01, 0x1DC0, 0x1C80, 0xDC41,
    0x1400, 0xD4C1, 0xD581, 0x1540, 0xD701, 0x17C0, 0x1680, 0xD641, 0xD201, 0x12C0, 0x1380, 0xD341,
    0x1100, 0xD1C1, 0xD081, 0x1040, 0xF001, 0x30C0, 0x3180, 0xF141, 0x3300, 0xF3C1, 0xF281, 0x3240,
    0x3600, 0xF6C1, 0xF781, 0x3740, 0xF501, 0x35C0, 0x3480, 0xF441, 0x3C00, 0xFCC1, 0xFD81, 0x3D40,
    0xFF01, 0x3FC0, 0x3E80, 0xFE41, 0xFA01, 0x3AC0, 0x3B80, 0xFB41, 0x3900, 0xF9C1, 0xF881, 0x3840,
    0x2800, 0xE8C1, 0xE981, 0x2940, 0xEB01, 0x2BC0, 0x2A80, 0xEA41, 0xEE01, 0x2EC0, 0x2F80, 0xEF41,
    0x2D00, 0xEDC1, 0xEC81, 0x2C40, 0xE401, 0x24C0, 0x2580, 0xE541, 0x2700, 0xE7C1, 0xE681, 0x2640,
    0x2200, 0xE2C1, 0xE381, 0x2340, 0xE101, 0x21C0, 0x2080, 0xE041, 0xA001, 0x60C0, 0x6180, 0xA141,
    0x6300, 0xA3C1, 0xA281, 0x6240, 0x6600, 0xA6C1, 0xA781, 0x6740, 0xA501, 0x65C0, 0x6480, 0xA441,
    0x6C00, 0xACC1, 0xAD81, 0x6D40, 0xAF01, 0x6FC0, 0x6E80, 0xAE41, 0xAA01, 0x6AC0, 0x6B80, 0xAB41,
    0x6900, 0xA9C1, 0xA881, 0x6840, 0x7800, 0xB8C1, 0xB981, 0x7940, 0xBB01, 0x7BC0, 0x7A80, 0xBA41,
    0xBE01, 0x7EC0, 0x7F80, 0xBF41, 0x7D00, 0xBDC1, 0xBC81, 0x7C40, 0xB401, 0x74C0, 0x7580, 0xB541,
    0x7700, 0xB7C1, 0xB681, 0x7640, 0x7200, 0xB2C1, 0xB381, 0x7340, 0xB101, 0x71C0, 0x7080, 0xB041,
    0x5000, 0x90C1, 0x9181, 0x5140, 0x9301, 0x53C0, 0x5280, 0x9241, 0x9601, 0x56C0, 0x5780, 0x9741,
    0x5500, 0x95C1, 0x9481, 0x5440, 0x9C01, 0x5CC0, 0x5D80, 0x9D41, 0x5F00, 0x9FC1, 0x9E81, 0x5E40,
    0x5A00, 0x9AC1, 0x9B81, 0x5B40, 0x9901, 0x59C0, 0x5880, 0x9841, 0x8801, 0x48C0, 0x4980, 0x8941,
    0x4B00, 0x8BC1, 0x8A81, 0x4A40, 0x4E00, 0x8EC1, 0x8F81, 0x4F40, 0x8D01, 0x4DC0, 0x4C80, 0x8C41,
    0x4400, 0x84C1, 0x8581, 0x4540, 0x8701, 0x47C0, 0x4680, 0x8641, 0x8201, 0x42C0, 0x4380, 0x8341,
    0x4100, 0x81C1, 0x8081, 0x4040,
};

/* The recurrence keeps only the high byte of reg between bytes: with s = reg >> 8 and
   H[x] = T[x] >> 8, s' = H[s ^ b], and the last byte gives the whole T[s ^ b]. H is linear over
   GF(2) (H[x ^ y] = H[x] ^ H[y]), so k bytes at once are
       s_{i+k} = H^k[s_i ^ b_i] ^ H^(k-1)[b_{i+1}] ^ ... ^ H^1[b_{i+k-1}]
   (slicing-by-8): one dependent lookup per 8 bytes instead of one per byte. HK[k-1] = H^k. */
static uint8_t HK[8][256];

__attribute__((constructor)) static void crc_tables(void)
{
    for (int x = 0; x < 256; x++) {
        uint8_t v = (uint8_t)x;
        for (int k = 0; k < 8; k++) {
            v = (uint8_t)(CRC_TABLE[v] >> 8);
            HK[k][x] = v;
        }
    }
}

uint16_t hj212_crc(const void *p, size_t n)
{
    const unsigned char *b = p;
    if (n == 0) {
        return 0xFFFF;
    }
    uint8_t s = 0xFF; /* high byte of the initial 0xFFFF */
    size_t i = 0;
    for (; i + 8 < n; i += 8) { /* keep the last byte for the full 16-bit lookup */
        s = HK[7][s ^ b[i]] ^ HK[6][b[i + 1]] ^ HK[5][b[i + 2]] ^ HK[4][b[i + 3]] ^
            HK[3][b[i + 4]] ^ HK[2][b[i + 5]] ^ HK[1][b[i + 6]] ^ HK[0][b[i + 7]];
    }
    for (; i + 1 < n; i++) {
        s = HK[0][s ^ b[i]];
    }
    return CRC_TABLE[s ^ b[n - 1]];
}

/* CRC-16/MODBUS, which some loggers send by mistake. */
static uint16_t crc_modbus(const unsigned char *b, size_t n)
{
    uint16_t reg = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        reg ^= b[i];
        for (int k = 0; k < 8; k++) {
            reg = (reg & 1u) ? (uint16_t)((reg >> 1) ^ 0xA001) : (uint16_t)(reg >> 1);
        }
    }
    return reg;
}

static int hex_value(char c, bool *lower)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        *lower = true;
        return c - 'a' + 10;
    }
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline struct str trim_count(struct str s, unsigned *dev)
{
    if (!s.len || (!is_space(s.p[0]) && !is_space(s.p[s.len - 1]))) {
        return s; /* the usual case, without a call */
    }
    struct str t = str_trim(s);
    if (t.len != s.len) {
        *dev |= HJ212_DEV_SPACES;
    }
    return t;
}

static bool all_digits(struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') {
            return false;
        }
    }
    return s.len > 0;
}

static bool is_hex(struct str s)
{
    bool lower = false;
    for (size_t i = 0; i < s.len; i++) {
        if (hex_value(s.p[i], &lower) < 0) {
            return false;
        }
    }
    return true;
}

static int small_int(struct str s)
{
    int v = 0;
    if (!all_digits(s) || s.len > 4) {
        return -1;
    }
    for (size_t i = 0; i < s.len; i++) {
        v = v * 10 + (s.p[i] - '0');
    }
    return v;
}

/* k equals the string literal lit (a constant-size memcmp the compiler inlines). */
#define KEY_IS(k, lit) ((k).len == sizeof(lit) - 1 && !memcmp((k).p, lit, sizeof(lit) - 1))

/* Header fields before "CP=": key=value pairs separated by ';'. */
static void parse_header(struct str h, struct hj212_frame *f)
{
    const char *p = h.p, *end = h.p + h.len;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        struct str item = {p, (size_t)((semi ? semi : end) - p)};
        const char *eq = memchr(item.p, '=', item.len);
        p = semi ? semi + 1 : end;
        if (!eq) {
            continue;
        }
        struct str k = trim_count((struct str){item.p, (size_t)(eq - item.p)}, &f->deviations);
        struct str v =
            trim_count((struct str){eq + 1, item.len - (size_t)(eq - item.p) - 1}, &f->deviations);
        if (KEY_IS(k, "QN")) {
            f->qn = v;
        } else if (KEY_IS(k, "ST")) {
            f->st = v;
        } else if (KEY_IS(k, "CN")) {
            f->cn = v;
        } else if (KEY_IS(k, "PW")) {
            f->pw = v;
        } else if (KEY_IS(k, "MN")) {
            f->mn = v;
        } else if (KEY_IS(k, "Flag")) {
            f->flag = small_int(v);
        } else if (KEY_IS(k, "PNUM")) {
            f->pnum = small_int(v) < 0 ? 0 : small_int(v);
        } else if (KEY_IS(k, "PNO")) {
            f->pno = small_int(v) < 0 ? 0 : small_int(v);
        }
    }
}

/* Field checks and version from the Flag bits (V5..V0 D A). */
static int interpret(struct hj212_frame *f)
{
    if (!f->cn.len || !f->mn.len || !f->st.len || !all_digits(f->cn) || !all_digits(f->st)) {
        return ERR_PROTO;
    }
    if (!f->qn.len) {
        f->deviations |= HJ212_DEV_NO_QN;
    } else if (f->qn.len != 17 || !all_digits(f->qn)) {
        f->deviations |= HJ212_DEV_QN_FORMAT;
    }
    int v = f->flag >= 0 ? f->flag >> 2 : -1;
    if (f->flag < 0) {
        f->deviations |= HJ212_DEV_NO_FLAG;
        f->version = f->mn.len == 14 ? 2005 : 2017;
    } else {
        f->ack_wanted = f->flag & 1;
        if (v == 1) {
            f->version = 2017;
        } else if (v == 0) {
            f->version = 2005;
            f->deviations |= f->flag == 0 ? HJ212_DEV_FLAG_ODD : 0;
        } else {
            f->version = 2017; /* HJ 212-2025 sends version 2 (Flag 8-11): read as 2017 */
            f->deviations |= HJ212_DEV_FLAG_ODD;
        }
    }
    if (f->version == 2017 && (f->mn.len != 24 || !is_hex(f->mn))) {
        f->deviations |= HJ212_DEV_MN_FORMAT;
    }
    return 0;
}

/* Split the data segment into header and CP ("CP=&&…&&" must end the segment). */
static int parse_data(struct str d, struct hj212_frame *f)
{
    const char *cp = NULL;
    for (const char *q = d.p; (q = memmem(q, (size_t)(d.p + d.len - q), "CP=&&", 5)); q++) {
        if (q == d.p || q[-1] == ';' || q[-1] == ' ') {
            cp = q;
            break;
        }
    }
    struct str tail = str_trim(d);
    if (!cp || tail.len < 2 || memcmp(tail.p + tail.len - 2, "&&", 2) ||
        tail.p + tail.len - 2 < cp + 5) {
        return ERR_PROTO;
    }
    f->cp = (struct str){cp + 5, (size_t)(tail.p + tail.len - 2 - (cp + 5))};
    if (f->cp.len && f->cp.p[f->cp.len - 1] == ';') {
        f->deviations |= HJ212_DEV_TRAILING_SEMI;
    }
    parse_header((struct str){d.p, (size_t)(cp - d.p)}, f);
    return interpret(f);
}

/* CRC field: 4 hex digits, high byte first; the Appendix A CRC, or MODBUS (counted). */
static int check_crc(const char *crc, struct str data, unsigned *dev)
{
    bool lower = false;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(crc[i], &lower);
        if (h < 0) {
            return ERR_PROTO;
        }
        v = v * 16 + h;
    }
    if (lower) {
        *dev |= HJ212_DEV_CRC_LOWER;
    }
    if ((uint16_t)v == hj212_crc(data.p, data.len)) {
        return 0;
    }
    if ((uint16_t)v == crc_modbus((const unsigned char *)data.p, data.len)) {
        *dev |= HJ212_DEV_CRC_MODBUS;
        return 0;
    }
    return ERR_PROTO;
}

int hj212_frame_parse(const char *buf, size_t len, bool lf_only, struct hj212_frame *out,
                      size_t *used)
{
    *used = 1;
    if (len >= 1 && buf[0] != '#') {
        return ERR_PROTO;
    }
    if (len >= 2 && buf[1] != '#') {
        return ERR_PROTO;
    }
    if (len < 6) {
        return ERR_AGAIN;
    }
    *used = 2; /* past "##": rescan from there */
    size_t l = 0;
    for (int i = 2; i < 6; i++) {
        if (buf[i] < '0' || buf[i] > '9') {
            return ERR_PROTO;
        }
        l = l * 10 + (size_t)(buf[i] - '0');
    }
    if (l > HJ212_MAX_DATA) {
        return ERR_PROTO;
    }
    if (len < 6 + l + 4 + 1) {
        return ERR_AGAIN;
    }
    memset(out, 0, sizeof *out);
    out->flag = -1;
    out->data = (struct str){buf + 6, l};
    const char *t = buf + 6 + l + 4;
    size_t total;
    if (t[0] == '\r') {
        if (len < 6 + l + 4 + 2) {
            return ERR_AGAIN;
        }
        if (t[1] != '\n') {
            return ERR_PROTO;
        }
        total = 6 + l + 4 + 2;
    } else if (t[0] == '\n' && lf_only) {
        out->deviations |= HJ212_DEV_LF_ONLY;
        total = 6 + l + 4 + 1;
    } else {
        return ERR_PROTO;
    }
    if (check_crc(buf + 6 + l, out->data, &out->deviations) || parse_data(out->data, out)) {
        return ERR_PROTO;
    }
    *used = total;
    return 0;
}

void hj212_cp_begin(struct hj212_cp_iter *it, struct str cp)
{
    it->p = cp.p;
    it->end = cp.p + cp.len;
    it->deviations = 0;
}

static bool factor_code(struct str s)
{
    if (s.len != 6 || s.p[0] < 'a' || s.p[0] > 'z') {
        return false;
    }
    for (size_t i = 1; i < 6; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') {
            return false;
        }
    }
    return true;
}

/* Whether any of the 8 bytes at p is ';', ',' or '=' (the classic has-zero-byte test on the
   bytes XORed with each separator). */
static bool has_separator(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t a = v ^ (ones * ';'), b = v ^ (ones * ','), c = v ^ (ones * '=');
    return (((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c)) & highs;
}

/* Split "code-Suffix" and note 2005 codes and keys without a suffix. */
static void split_key(struct hj212_cp_iter *it, struct str key, struct hj212_kv *out)
{
    const char *dash = NULL; /* keys are short: a loop beats a call to memchr */
    for (size_t i = 0; i < key.len; i++) {
        if (key.p[i] == '-') {
            dash = key.p + i;
            break;
        }
    }
    if (dash) {
        out->code = (struct str){key.p, (size_t)(dash - key.p)};
        out->suffix = (struct str){dash + 1, key.len - (size_t)(dash - key.p) - 1};
        if (!factor_code(out->code)) {
            it->deviations |= HJ212_DEV_CODE_2005;
        }
    } else {
        out->code = key;
        out->suffix = (struct str){key.p + key.len, 0};
        if (factor_code(key)) {
            it->deviations |= HJ212_DEV_NO_SUFFIX;
        }
    }
}

bool hj212_cp_next(struct hj212_cp_iter *it, struct hj212_kv *out)
{
    while (it->p < it->end) {
        const char *p = it->p;
        while (p < it->end && (*p == ';' || *p == ',')) {
            p++;
        }
        if (p >= it->end) {
            it->p = p;
            return false;
        }
        /* One pass to the end of the piece, noting its first "=". */
        const char *eq = NULL, *stop = p;
        bool found = false;
#if defined(__SSE2__)
        /* 16 bytes at a time: masks of the separators and of "=" (bit i: byte i). */
        while (it->end - stop >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)stop);
            unsigned sep = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(';')), _mm_cmpeq_epi8(v, _mm_set1_epi8(','))));
            unsigned eqs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')));
            unsigned before = sep ? (sep & (0u - sep)) - 1 : 0xffffu; /* bytes before it */
            if (!eq && (eqs & before)) {
                eq = stop + __builtin_ctz(eqs & before);
            }
            if (sep) {
                stop += __builtin_ctz(sep);
                found = true;
                break;
            }
            stop += 16;
        }
#else
        /* 8 bytes at a time while none of them is ';', ',' or '='. */
        while (it->end - stop >= 8 && !has_separator(stop)) {
            stop += 8;
        }
#endif
        for (; !found && stop < it->end && *stop != ';' && *stop != ','; stop++) {
            if (*stop == '=' && !eq) {
                eq = stop;
                while (it->end - stop >= 9 && !has_separator(stop + 1)) {
                    stop += 8; /* the value after "=" */
                }
            }
        }
        if (!eq) {
            it->p = stop; /* a piece without "=": skip it */
            continue;
        }
        out->text = false;
        struct str key = trim_count((struct str){p, (size_t)(eq - p)}, &it->deviations);
        const char *v = eq + 1;
        if (it->end - v >= 2 && v[0] == '/' && v[1] == '/') {
            /* Log text: everything up to the closing "//", which may contain ; and , */
            const char *close = NULL;
            for (const char *q = v + 2; q + 1 < it->end; q++) {
                if (q[0] == '/' && q[1] == '/') {
                    close = q;
                    break;
                }
            }
            if (close) {
                out->value = (struct str){v + 2, (size_t)(close - v - 2)};
                out->text = true;
                stop = close + 2;
                while (stop < it->end && *stop != ';' && *stop != ',') {
                    stop++;
                }
            }
        }
        if (!out->text) {
            out->value = trim_count((struct str){v, (size_t)(stop - v)}, &it->deviations);
        }
        split_key(it, key, out);
        it->p = stop;
        return true;
    }
    return false;
}

size_t hj212_frame_build(char *out, size_t cap, const char *qn, const char *st, const char *cn,
                         const char *pw, const char *mn, int flag, const char *cp)
{
    char data[HJ212_MAX_DATA + 1];
    int n = snprintf(data, sizeof data, "%s%s%sST=%s;CN=%s;PW=%s;MN=%s;Flag=%d;CP=&&%s&&",
                     qn ? "QN=" : "", qn ? qn : "", qn ? ";" : "", st, cn, pw, mn, flag, cp);
    if (n < 0 || (size_t)n > HJ212_MAX_DATA || cap < (size_t)n + 13) {
        return 0;
    }
    int m = snprintf(out, cap, "##%04d%s%04X\r\n", n, data, hj212_crc(data, (size_t)n));
    return m > 0 && (size_t)m < cap ? (size_t)m : 0;
}

size_t hj212_mask_pw(const char *raw, size_t len, char *out)
{
    memcpy(out, raw, len);
    out[len] = 0;
    const char *cp = memmem(raw, len, "CP=&&", 5);
    size_t end = cp ? (size_t)(cp - raw) : len; /* header fields only */
    for (size_t i = 0; i + 3 <= end; i++) {
        bool starts = i == 0 || raw[i - 1] == ';' || raw[i - 1] == ' ' ||
                      (i == 6 && raw[0] == '#' && raw[1] == '#'); /* after "##LLLL" */
        if (starts && raw[i] == 'P' && raw[i + 1] == 'W' && raw[i + 2] == '=') {
            for (i += 3; i < end && raw[i] != ';'; i++) {
                out[i] = '*';
            }
        }
    }
    return len;
}

size_t hj212_reply_9014(char *out, size_t cap, const struct hj212_frame *f)
{
    char qn[32], pw[32], mn[64];
    str_slice_copy(qn, sizeof qn, f->qn);
    str_slice_copy(pw, sizeof pw, f->pw);
    str_slice_copy(mn, sizeof mn, f->mn);
    return hj212_frame_build(out, cap, f->qn.len ? qn : NULL, "91", "9014", pw, mn, 4, "");
}

void hj212_stream_init(struct hj212_stream *s, bool lf_only)
{
    memset(s, 0, sizeof *s);
    s->lf_only = lf_only;
}

static void consume(struct hj212_stream *s, size_t n)
{
    memmove(s->buf, s->buf + n, s->len - n);
    s->len -= n;
}

/* Drop bytes before the next "##" (keeping a trailing '#' that may start one). */
static void resync(struct hj212_stream *s)
{
    size_t i = 0;
    while (i + 1 < s->len && !(s->buf[i] == '#' && s->buf[i + 1] == '#')) {
        i++;
    }
    if (i + 1 >= s->len && !(s->len && s->buf[s->len - 1] == '#')) {
        i = s->len;
    }
    if (i) {
        s->garbage_bytes += i;
        consume(s, i);
    }
}

static void drain(struct hj212_stream *s, hj212_frame_fn fn, void *ctx)
{
    for (;;) {
        resync(s);
        if (s->len < 2) {
            return;
        }
        struct hj212_frame f;
        size_t used;
        int rc = hj212_frame_parse(s->buf, s->len, s->lf_only, &f, &used);
        if (rc == ERR_AGAIN) {
            return;
        }
        if (rc) {
            s->bad_frames++;
            s->garbage_bytes += used;
            consume(s, used);
            continue;
        }
        s->frames++;
        fn(ctx, &f, s->buf, used);
        consume(s, used);
    }
}

void hj212_stream_feed(struct hj212_stream *s, const char *data, size_t n, hj212_frame_fn fn,
                       void *ctx)
{
    while (n) {
        size_t room = sizeof s->buf - s->len;
        size_t k = n < room ? n : room;
        memcpy(s->buf + s->len, data, k);
        s->len += k;
        data += k;
        n -= k;
        drain(s, fn, ctx);
    }
}
