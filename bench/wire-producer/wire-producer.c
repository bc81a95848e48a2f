/*
 * wire-producer: a paced load generator of many producer connections that speaks the Kafka
 * wire protocol itself (no client library), for scenario 6: 100 connections writing 1,000
 * partitions. librdkafka was tried first (bench/multi-producer with 100 clients): each client
 * keeps state for all 1,000 partitions and its threads walk them on every wake-up, so 100
 * clients saturated the load-generator core at ~5,000 records/s. This program needs a few
 * microseconds per request on one thread.
 *
 * Usage: same flags as multi-producer (see there); -l (linger) is accepted and ignored:
 *   wire-producer -b <host:port> -t <topic> -P <partitions> -n <connections>
 *     -r <records/s, all connections together> -s <record bytes> -w <warm-up s>
 *     -d <measured s, 0 = until SIGINT/SIGTERM> -a <acks, not 0> -l <ignored> -A <latency file>
 *
 * Each record goes out as its own ProduceRequest v3 (one topic, one partition, a v2 record
 * batch of one record, CRC32C), sent the moment it is due: what a client at 100 records/s
 * per connection with linger 1 ms sends anyway. Requests are pipelined on a connection and
 * answered in order (Kafka's guarantee), so a response is matched to the oldest request in
 * flight. Pacing, partition choice, latency file, "measuring" line and the JSON summary are as
 * in multi-producer: latency is from writing the request to reading its response.
 * The broker must lead every partition (a single broker): there is no Metadata handling.
 * Built at bench time by bench/lib/build.ts; never committed as a binary.
 */
#define _GNU_SOURCE /* epoll_pwait2 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "../paced/paced.h"

#define CONNS_MAX 1000
/* Requests in flight per connection (a ring); a full ring counts as back-pressure. */
#define INFLIGHT_MAX 4096
#define READ_BUF_BYTES (1 << 16)
#define WRITE_BUF_BYTES (1 << 20)
#define REQUEST_TIMEOUT_MS 30000

struct conn {
        int fd;
        uint64_t sent; /* records sent on this connection (partition choice) */
        int64_t inflight_at[INFLIGHT_MAX]; /* send time (us) of each request in flight */
        unsigned head, count;
        unsigned char rbuf[READ_BUF_BYTES];
        size_t rlen;
        unsigned char *wbuf; /* bytes not yet written */
        size_t wlen;
        int want_out; /* registered for EPOLLOUT (only while wbuf holds bytes) */
};

static struct conn conns[CONNS_MAX];
static int32_t correlation = 0;
static uint32_t crc_table[256];
static int epfd;

static int64_t wall_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the record batch checksum. */
static void crc_init(void) {
        for (uint32_t i = 0; i < 256; i++) {
                uint32_t c = i;
                for (int k = 0; k < 8; k++)
                        c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
                crc_table[i] = c;
        }
}

static uint32_t crc32c(const unsigned char *p, size_t n) {
        uint32_t c = 0xFFFFFFFFu;
        while (n--)
                c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
}

static unsigned char *put16(unsigned char *p, int16_t v) {
        uint16_t u = htons((uint16_t)v);
        memcpy(p, &u, 2);
        return p + 2;
}

static unsigned char *put32(unsigned char *p, int32_t v) {
        uint32_t u = htonl((uint32_t)v);
        memcpy(p, &u, 4);
        return p + 4;
}

static unsigned char *put64(unsigned char *p, int64_t v) {
        p = put32(p, (int32_t)((uint64_t)v >> 32));
        return put32(p, (int32_t)(uint32_t)v);
}

static unsigned char *put_varint(unsigned char *p, int64_t v) {
        uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
        while (z >= 0x80) {
                *p++ = (unsigned char)(z | 0x80);
                z >>= 7;
        }
        *p++ = (unsigned char)z;
        return p;
}

static unsigned char *put_str(unsigned char *p, const char *s) {
        size_t n = strlen(s);
        p = put16(p, (int16_t)n);
        memcpy(p, s, n);
        return p + n;
}

static int32_t get32(const unsigned char *p) {
        uint32_t u;
        memcpy(&u, p, 4);
        return (int32_t)ntohl(u);
}

static int16_t get16(const unsigned char *p) {
        uint16_t u;
        memcpy(&u, p, 2);
        return (int16_t)ntohs(u);
}

/* A ProduceRequest v3 of one record batch (magic 2) holding one record; returns its length. */
static size_t build_request(unsigned char *out, const char *topic, int32_t partition, int16_t acks,
                            const unsigned char *value, size_t size) {
        unsigned char record[64 + size], *r = record;
        unsigned char *body_start;
        /* record: attributes, timestampDelta, offsetDelta, key (null), value, headers (0) */
        unsigned char body[32 + size], *b = body;
        *b++ = 0;
        b = put_varint(b, 0);
        b = put_varint(b, 0);
        b = put_varint(b, -1);
        b = put_varint(b, (int64_t)size);
        memcpy(b, value, size);
        b += size;
        b = put_varint(b, 0);
        r = put_varint(r, b - body);
        memcpy(r, body, (size_t)(b - body));
        r += b - body;
        size_t record_len = (size_t)(r - record);

        unsigned char *p = out + 4; /* size prefix written last */
        p = put16(p, 0);           /* api key: Produce */
        p = put16(p, 3);           /* api version */
        p = put32(p, ++correlation);
        p = put_str(p, "wire-producer");
        p = put16(p, -1); /* transactional id: null */
        p = put16(p, acks);
        p = put32(p, REQUEST_TIMEOUT_MS);
        p = put32(p, 1);
        p = put_str(p, topic);
        p = put32(p, 1);
        p = put32(p, partition);
        size_t batch_len = 61 + record_len; /* v2 batch header is 61 bytes */
        p = put32(p, (int32_t)batch_len);
        int64_t ts = wall_ms();
        p = put64(p, 0);                           /* base offset */
        p = put32(p, (int32_t)(batch_len - 12));   /* batch length */
        p = put32(p, -1);                          /* partition leader epoch */
        *p++ = 2;                                  /* magic */
        unsigned char *crc_at = p;
        p += 4;
        body_start = p;
        p = put16(p, 0);  /* attributes */
        p = put32(p, 0);  /* last offset delta */
        p = put64(p, ts); /* first timestamp */
        p = put64(p, ts); /* max timestamp */
        p = put64(p, -1); /* producer id */
        p = put16(p, -1); /* producer epoch */
        p = put32(p, -1); /* base sequence */
        p = put32(p, 1);  /* records */
        memcpy(p, record, record_len);
        p += record_len;
        put32(crc_at, (int32_t)crc32c(body_start, (size_t)(p - body_start)));
        put32(out, (int32_t)(p - out - 4));
        return (size_t)(p - out);
}

static int connect_to(const char *bootstrap) {
        char host[256];
        const char *colon = strrchr(bootstrap, ':');
        if (!colon || (size_t)(colon - bootstrap) >= sizeof(host)) {
                fprintf(stderr, "bad bootstrap %s\n", bootstrap);
                exit(2);
        }
        memcpy(host, bootstrap, (size_t)(colon - bootstrap));
        host[colon - bootstrap] = 0;
        struct addrinfo hints = {0}, *ai;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo(host, colon + 1, &hints, &ai) != 0) {
                fprintf(stderr, "cannot resolve %s\n", bootstrap);
                exit(2);
        }
        int fd = socket(ai->ai_family, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
                perror("connect");
                exit(2);
        }
        freeaddrinfo(ai);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        fcntl(fd, F_SETFL, O_NONBLOCK);
        return fd;
}

static void watch(struct conn *c, int index, int want_out) {
        struct epoll_event ev = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.u32 = (uint32_t)index};
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
                perror("epoll_ctl");
                exit(3);
        }
        c->want_out = want_out;
}

/* Writes what the socket takes; waits for EPOLLOUT only while bytes are left over. */
static void flush_writes(struct conn *c, int index) {
        while (c->wlen > 0) {
                ssize_t n = write(c->fd, c->wbuf, c->wlen);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                break;
                        perror("write");
                        exit(3);
                }
                memmove(c->wbuf, c->wbuf + n, c->wlen - (size_t)n);
                c->wlen -= (size_t)n;
        }
        if ((c->wlen > 0) != c->want_out)
                watch(c, index, c->wlen > 0);
}

/* Counts one response: every partition error code in it must be 0. */
static void on_response(struct conn *c, const unsigned char *frame, size_t len) {
        int64_t now = now_us();
        if (c->count == 0) {
                remember_error("response without a request");
                return;
        }
        int64_t sent_at = c->inflight_at[c->head];
        c->head = (c->head + 1) % INFLIGHT_MAX;
        c->count--;
        int16_t err = 0;
        /* correlation id, [topic: name, [partition, error, base offset, append time]], throttle */
        if (len >= 14 && get32(frame + 8) >= 1) {
                size_t at = 12;
                at += 2 + (size_t)get16(frame + at); /* topic name */
                if (at + 10 <= len && get32(frame + at) >= 1)
                        err = get16(frame + at + 8); /* after partition count and index */
        }
        char msg[64];
        if (err != 0)
                snprintf(msg, sizeof(msg), "Produce error code %d", err);
        record_outcome(sent_at, now, err != 0 ? msg : NULL);
}

static void read_responses(struct conn *c) {
        for (;;) {
                ssize_t n = read(c->fd, c->rbuf + c->rlen, READ_BUF_BYTES - c->rlen);
                if (n == 0) {
                        fprintf(stderr, "broker closed a connection\n");
                        exit(3);
                }
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return;
                        perror("read");
                        exit(3);
                }
                c->rlen += (size_t)n;
                size_t at = 0;
                while (c->rlen - at >= 4) {
                        size_t len = (size_t)get32(c->rbuf + at);
                        if (len + 4 > READ_BUF_BYTES) {
                                fprintf(stderr, "response of %zu bytes is too big\n", len);
                                exit(3);
                        }
                        if (c->rlen - at < 4 + len)
                                break;
                        on_response(c, c->rbuf + at, len + 4);
                        at += 4 + len;
                }
                memmove(c->rbuf, c->rbuf + at, c->rlen - at);
                c->rlen -= at;
        }
}

static void send_record(struct conn *c, int index, int nconns, int partitions, const char *topic, int16_t acks,
                        const unsigned char *value, size_t size) {
        if (c->count == INFLIGHT_MAX || c->wlen + size + 256 > WRITE_BUF_BYTES) {
                queue_full++;
                return;
        }
        int32_t partition = (int32_t)(((uint64_t)index + (uint64_t)nconns * c->sent) % (uint64_t)partitions);
        c->sent++;
        c->wlen += build_request(c->wbuf + c->wlen, topic, partition, acks, value, size);
        int64_t now = now_us();
        c->inflight_at[(c->head + c->count) % INFLIGHT_MAX] = now;
        c->count++;
        if (measure_start_us >= 0)
                sent_measured++;
        flush_writes(c, index);
}

struct send_ctx {
        int nconns, partitions;
        const char *topic;
        int16_t acks;
        const unsigned char *value;
        size_t size;
};

/* Record n goes to connection n mod nconns (pace_send_due's callback). */
static void send_one(uint64_t n, void *arg) {
        struct send_ctx *ctx = arg;
        int index = (int)(n % (uint64_t)ctx->nconns);
        send_record(&conns[index], index, ctx->nconns, ctx->partitions, ctx->topic, ctx->acks, ctx->value, ctx->size);
}

static void wait_and_serve(int64_t deadline_us) {
        struct epoll_event events[CONNS_MAX];
        int64_t wait = deadline_us - now_us();
        if (wait < 0)
                wait = 0;
        struct timespec ts = {wait / 1000000, (wait % 1000000) * 1000};
        int ready = epoll_pwait2(epfd, events, CONNS_MAX, &ts, NULL);
        for (int i = 0; i < ready; i++) {
                int index = (int)events[i].data.u32;
                if (events[i].events & EPOLLOUT)
                        flush_writes(&conns[index], index);
                if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                        read_responses(&conns[index]);
        }
}

static uint64_t in_flight(int n) {
        uint64_t total = 0;
        for (int i = 0; i < n; i++)
                total += conns[i].count;
        return total;
}

int main(int argc, char **argv) {
        const char *bootstrap = NULL, *topic = NULL, *latency_path = NULL;
        int partitions = 1, nconns = 1, opt, acks = 1;
        double rate = 1000, warmup_s = 1, duration_s = 10;
        size_t size = 1024;
        while ((opt = getopt(argc, argv, "b:t:P:n:r:s:w:d:a:l:A:")) != -1) {
                switch (opt) {
                case 'b': bootstrap = optarg; break;
                case 't': topic = optarg; break;
                case 'P': partitions = atoi(optarg); break;
                case 'n': nconns = atoi(optarg); break;
                case 'r': rate = atof(optarg); break;
                case 's': size = (size_t)atol(optarg); break;
                case 'w': warmup_s = atof(optarg); break;
                case 'd': duration_s = atof(optarg); break;
                case 'a': acks = atoi(optarg); break;
                case 'l': break;
                case 'A': latency_path = optarg; break;
                default: fprintf(stderr, "bad option\n"); return 2;
                }
        }
        if (!bootstrap || !topic || !latency_path || nconns < 1 || nconns > CONNS_MAX || partitions < 1 || rate <= 0 ||
            acks == 0 || size > 65536 || strchr(bootstrap, ',')) {
                fprintf(stderr, "usage: see the header of wire-producer.c (one bootstrap address, acks 1 or -1, records up to 64 KiB)\n");
                return 2;
        }
        if (paced_setup(latency_path) != 0)
                return 2;
        signal(SIGPIPE, SIG_IGN);
        crc_init();

        unsigned char *value = malloc(size);
        memset(value, 'x', size);
        epfd = epoll_create1(0);
        for (int i = 0; i < nconns; i++) {
                conns[i].fd = connect_to(bootstrap);
                conns[i].wbuf = malloc(WRITE_BUF_BYTES);
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
                if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, conns[i].fd, &ev) != 0) {
                        perror("epoll");
                        return 2;
                }
        }

        struct send_ctx ctx = { nconns, partitions, topic, (int16_t)acks, value, size };
        struct pace pace;
        pace_init(&pace, rate, warmup_s, duration_s);
        for (;;) {
                if (pace_over(&pace, now_us()))
                        break;
                pace_send_due(&pace, send_one, &ctx);
                wait_and_serve(pace_next_due(&pace));
        }
        pace_finish(&pace);
        const int64_t flush_deadline = now_us() + FLUSH_TIMEOUT_US;
        while (in_flight(nconns) > 0 && now_us() < flush_deadline)
                wait_and_serve(now_us() + 10000);
        if (in_flight(nconns) > 0 && measure_start_us >= 0) {
                failed += in_flight(nconns);
                remember_error("no response within the flush timeout");
        }
        fclose(latency_fp);
        print_result(&pace, size);
        for (int i = 0; i < nconns; i++)
                close(conns[i].fd);
        return 0;
}
