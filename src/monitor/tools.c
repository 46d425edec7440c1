/*
** `envgov hj212 send FILE`: replay frames from a file to a gateway and print every reply — for
** operators checking a device's captured traffic and for vendors reproducing a problem. Each
** non-empty line is a frame: either complete ("##0101…CRLF") or only its data segment
** ("QN=…;…;CP=&&…&&"), which is framed with length and CRC here.
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/settings.h"
#include "http/server.h"
#include "monitor/hj212.h"
#include "platform/cli.h"

static int connect_to(const char *target)
{
    char addr[128];
    int port;
    if (http_parse_listen(target, addr, sizeof addr, &port)) {
        return -1;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

/* Print what arrives within wait_ms. */
static void print_replies(int fd, int wait_ms)
{
    char buf[4096];
    struct pollfd p = {fd, POLLIN, 0};
    while (poll(&p, 1, wait_ms) > 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            printf("<- (connection closed)\n");
            return;
        }
        fwrite("<- ", 1, 3, stdout);
        fwrite(buf, 1, (size_t)n, stdout);
        wait_ms = 200; /* a second reply (1012 after 9013) follows closely */
    }
}

static int send_line(int fd, char *line)
{
    size_t n = strcspn(line, "\r\n");
    line[n] = 0;
    if (!n) {
        return 0;
    }
    char frame[HJ212_MAX_FRAME + 16];
    size_t len;
    if (!strncmp(line, "##", 2)) {
        len = (size_t)snprintf(frame, sizeof frame, "%s\r\n", line);
    } else {
        char data[HJ212_MAX_DATA + 1];
        int k = snprintf(data, sizeof data, "%s", line);
        if (k < 0 || (size_t)k > HJ212_MAX_DATA) {
            fprintf(stderr, "skipped: data segment over 1024 bytes\n");
            return 0;
        }
        len = (size_t)snprintf(frame, sizeof frame, "##%04d%s%04X\r\n", k, data,
                               hj212_crc(data, (size_t)k));
    }
    printf("-> %s", frame);
    return write(fd, frame, len) == (ssize_t)len ? 0 : -1;
}

int cmd_hj212_sim(const struct cli *c);

int cmd_hj212(const struct cli *c)
{
    if (c->n_args >= 1 && !strcmp(c->args[0], "sim")) {
        return cmd_hj212_sim(c);
    }
    if (c->n_args < 2 || strcmp(c->args[0], "send")) {
        fprintf(stderr, "usage: envgov hj212 send FILE [--target [ADDR:]PORT] [--wait-ms N]\n");
        return 2;
    }
    const char *target = cli_opt(c, "target");
    const char *wait = cli_opt(c, "wait_ms");
    int64_t wait_ms = 2000;
    if (wait && parse_i64(wait, strlen(wait), &wait_ms)) {
        fprintf(stderr, "envgov hj212 send: --wait-ms takes milliseconds\n");
        return 2;
    }
    FILE *f = fopen(c->args[1], "r");
    if (!f) {
        fprintf(stderr, "envgov hj212 send: cannot read %s\n", c->args[1]);
        return 1;
    }
    int fd = connect_to(target ? target : settings_get("hj212"));
    if (fd < 0) {
        fprintf(stderr, "envgov hj212 send: cannot connect to %s\n",
                target ? target : settings_get("hj212"));
        fclose(f);
        return 1;
    }
    char line[4096];
    int rc = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        rc = send_line(fd, line);
        if (!rc && strcspn(line, "\r\n")) {
            print_replies(fd, (int)wait_ms);
        }
    }
    fclose(f);
    close(fd);
    return rc ? 1 : 0;
}
