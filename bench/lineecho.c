/*
** The HJ 212 benchmark's ceiling: a bare libuv TCP server on one loop that, for every line a
** device sends, answers at once with a short line carrying the frame's QN and CN=9014 — what the
** simulator counts as an acknowledgement — with no parsing, CRC, database or commit wait. The
** same `envgov hj212 sim` load against it shows what the machine and libuv alone allow, so
** bench/hj212.sh can print envgov's figures as a ratio of it.
** Usage: lineecho PORT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

struct conn {
    uv_tcp_t tcp;
    char buf[4096];
    size_t len;
};

static void on_close(uv_handle_t *h)
{
    free(h->data);
}

static void on_write(uv_write_t *w, int status)
{
    (void)status;
    free(w);
}

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
    struct conn *c = h->data;
    (void)size;
    *b = uv_buf_init(c->buf + c->len, (unsigned)(sizeof c->buf - c->len));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    struct conn *c = s->data;
    (void)b;
    if (n < 0) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    c->len += (size_t)n;
    char out[8192];
    size_t o = 0;
    char *start = c->buf, *end;
    while ((end = memchr(start, '\n', c->len - (size_t)(start - c->buf)))) {
        char *qn = memmem(start, (size_t)(end - start), "QN=", 3);
        if (qn && o + 64 < sizeof out) {
            char *semi = memchr(qn, ';', (size_t)(end - qn));
            int qlen = semi && semi - qn - 3 <= 20 ? (int)(semi - qn - 3) : 0;
            o += (size_t)snprintf(out + o, sizeof out - o, "##0040QN=%.*s;ST=91;CN=9014\r\n", qlen,
                                  qn + 3);
        }
        start = end + 1;
    }
    c->len -= (size_t)(start - c->buf);
    memmove(c->buf, start, c->len);
    if (c->len == sizeof c->buf) {
        c->len = 0; /* a line longer than the buffer: drop it */
    }
    if (o) {
        uv_write_t *w = malloc(sizeof *w + o);
        memcpy(w + 1, out, o);
        uv_buf_t wb = uv_buf_init((char *)(w + 1), (unsigned)o);
        if (uv_write(w, s, &wb, 1, on_write)) {
            free(w);
        }
    }
}

static void on_conn(uv_stream_t *server, int status)
{
    if (status) {
        return;
    }
    struct conn *c = calloc(1, sizeof *c);
    uv_tcp_init(server->loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp)) {
        uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: lineecho PORT\n");
        return 2;
    }
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_t server;
    struct sockaddr_in sa;
    uv_ip4_addr("127.0.0.1", atoi(argv[1]), &sa);
    uv_tcp_init(loop, &server);
    if (uv_tcp_bind(&server, (const struct sockaddr *)&sa, 0) ||
        uv_listen((uv_stream_t *)&server, 4096, on_conn)) {
        fprintf(stderr, "lineecho: cannot listen on %s\n", argv[1]);
        return 1;
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}
