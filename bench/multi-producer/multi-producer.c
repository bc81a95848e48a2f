/*
 * multi-producer: a paced load generator of one or many librdkafka producer clients in one
 * process (one rd_kafka_t each, so one broker connection each), for what rdkafka_performance
 * cannot do: an exact fixed rate that runs until told to stop (the producer beside the
 * catch-up read, scenario 5). With 100 clients on a 1,000-partition topic it saturates its
 * core at about half of scenario 6's rate, so scenario 6 uses bench/wire-producer instead.
 *
 * Usage: multi-producer -b <bootstrap> -t <topic> -P <partitions> -n <clients>
 *          -r <records/s, all clients together> -s <record bytes> -w <warm-up s>
 *          -d <measured s, 0 = until SIGINT/SIGTERM> -a <acks> -l <linger ms>
 *          -A <latency file>
 *
 * Pacing: record n is due at start + n / rate (one schedule for all clients, records
 * dealt round-robin to the clients); the main thread sleeps until the next record is due
 * or a client's delivery reports are ready (each client's main queue signals a pipe), so
 * a delivery report is timestamped as soon as it arrives. Client i sends its k-th record to
 * partition (i + clients * k) mod partitions. Latency is per record from produce() to its
 * delivery report (as rdkafka_performance -l and kafka-producer-perf-test), in
 * microseconds, one line per record in the latency file; only records sent after the
 * warm-up count. "schedule lag" is how late produce() was called against the schedule: if
 * it stays small, this generator kept up and was not the limit.
 *
 * Prints "measuring" once the warm-up is over, then at the end one JSON line:
 * {"sent","delivered","failed","bytes","elapsedMs","wallMs","cpuMs","runqueueWaitMs","lagP99Us","lagMaxUs","queueFull","errors"}
 * (counts of the measured phase; elapsedMs from its first send to its last delivery report;
 * cpuMs is this process's CPU time, all threads, over the measured phase of wallMs;
 * runqueueWaitMs how long its main thread waited for a CPU meanwhile: other work on the core).
 * Built at bench time by bench/lib/build.ts; never committed as a binary.
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../paced/paced.h"
#include <fcntl.h>
#include <sys/resource.h>
#include <librdkafka/rdkafka.h>

#define CLIENTS_MAX 1000
/* Every client is polled at least this often, in case a pipe wake-up was missed. */
#define POLL_ALL_EVERY_US 100000

struct client {
        rd_kafka_t *rk;
        rd_kafka_topic_t *rkt;
        int pipe_rd;
        int pipe_wr;
        uint64_t sent;
};

static struct client clients[CLIENTS_MAX];

/* The record's send time (us) travels as its opaque; warm-up records are not counted. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        record_outcome((int64_t)(intptr_t)m->_private, now_us(), m->err ? rd_kafka_err2str(m->err) : NULL);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)err;
        (void)opaque;
        remember_error(reason);
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
        char errstr[256];
        if (rd_kafka_conf_set(conf, key, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "config %s=%s: %s\n", key, value, errstr);
                exit(2);
        }
}

static void start_client(struct client *c, int index, const char *bootstrap, const char *topic,
                         const char *acks, const char *linger) {
        char errstr[512], client_id[64];
        int fds[2];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        snprintf(client_id, sizeof(client_id), "multi-producer-%d", index);
        set(conf, "bootstrap.servers", bootstrap);
        set(conf, "client.id", client_id);
        set(conf, "acks", acks);
        set(conf, "linger.ms", linger);
        set(conf, "message.timeout.ms", "30000");
        set(conf, "socket.nagle.disable", "true"); /* as the Java client (TCP_NODELAY) */
        rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
        rd_kafka_conf_set_error_cb(conf, on_error);
        c->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!c->rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        c->rkt = rd_kafka_topic_new(c->rk, topic, NULL);
        if (pipe(fds) != 0) {
                perror("pipe");
                exit(2);
        }
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        fcntl(fds[1], F_SETFL, O_NONBLOCK);
        c->pipe_rd = fds[0];
        c->pipe_wr = fds[1];
        rd_kafka_queue_t *main_queue = rd_kafka_queue_get_main(c->rk);
        rd_kafka_queue_io_event_enable(main_queue, c->pipe_wr, "1", 1);
        rd_kafka_queue_destroy(main_queue);
}

/* Serves the delivery reports of every client whose pipe signalled (or all of them). */
static void serve(struct pollfd *pfds, int n, int all) {
        char drain[64];
        for (int i = 0; i < n; i++) {
                if (!all && !(pfds[i].revents & POLLIN))
                        continue;
                while (read(clients[i].pipe_rd, drain, sizeof(drain)) > 0) {
                }
                rd_kafka_poll(clients[i].rk, 0);
        }
}

static void wait_until(struct pollfd *pfds, int n, int64_t deadline_us) {
        int64_t wait = deadline_us - now_us();
        if (wait < 0)
                wait = 0;
        struct timespec ts = {wait / 1000000, (wait % 1000000) * 1000};
        int ready = ppoll(pfds, n, &ts, NULL);
        if (ready > 0)
                serve(pfds, n, 0);
}

static void produce_one(struct client *c, int index, int nclients, int partitions, void *payload,
                        size_t size, int64_t now) {
        int32_t partition = (int32_t)(((uint64_t)index + (uint64_t)nclients * c->sent) % (uint64_t)partitions);
        c->sent++;
        while (rd_kafka_produce(c->rkt, partition, 0, payload, size, NULL, 0, (void *)(intptr_t)now) == -1) {
                rd_kafka_resp_err_t err = rd_kafka_last_error();
                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                        remember_error(rd_kafka_err2str(err));
                        if (measure_start_us >= 0)
                                failed++;
                        return;
                }
                queue_full++;
                rd_kafka_poll(c->rk, 1);
        }
        if (measure_start_us >= 0)
                sent_measured++;
}

struct send_ctx {
        int nclients, partitions;
        void *payload;
        size_t size;
};

/* Record n goes to client n mod nclients (pace_send_due's callback). */
static void send_one(uint64_t n, void *arg) {
        struct send_ctx *ctx = arg;
        int index = (int)(n % (uint64_t)ctx->nclients);
        produce_one(&clients[index], index, ctx->nclients, ctx->partitions, ctx->payload, ctx->size, now_us());
}

static int64_t outstanding(int n) {
        int64_t total = 0;
        for (int i = 0; i < n; i++)
                total += rd_kafka_outq_len(clients[i].rk);
        return total;
}

int main(int argc, char **argv) {
        const char *bootstrap = NULL, *topic = NULL, *acks = "1", *linger = "5", *latency_path = NULL;
        int partitions = 1, nclients = 1, opt;
        double rate = 1000, warmup_s = 1, duration_s = 10;
        size_t size = 1024;
        while ((opt = getopt(argc, argv, "b:t:P:n:r:s:w:d:a:l:A:")) != -1) {
                switch (opt) {
                case 'b': bootstrap = optarg; break;
                case 't': topic = optarg; break;
                case 'P': partitions = atoi(optarg); break;
                case 'n': nclients = atoi(optarg); break;
                case 'r': rate = atof(optarg); break;
                case 's': size = (size_t)atol(optarg); break;
                case 'w': warmup_s = atof(optarg); break;
                case 'd': duration_s = atof(optarg); break;
                case 'a': acks = optarg; break;
                case 'l': linger = optarg; break;
                case 'A': latency_path = optarg; break;
                default: fprintf(stderr, "bad option\n"); return 2;
                }
        }
        if (!bootstrap || !topic || !latency_path || nclients < 1 || nclients > CLIENTS_MAX || partitions < 1 || rate <= 0) {
                fprintf(stderr, "usage: see the header of multi-producer.c\n");
                return 2;
        }
        if (paced_setup(latency_path) != 0)
                return 2;

        void *payload = malloc(size);
        memset(payload, 'x', size);
        struct pollfd *pfds = calloc((size_t)nclients, sizeof(*pfds));
        for (int i = 0; i < nclients; i++) {
                start_client(&clients[i], i, bootstrap, topic, acks, linger);
                pfds[i].fd = clients[i].pipe_rd;
                pfds[i].events = POLLIN;
        }

        struct send_ctx ctx = { nclients, partitions, payload, size };
        struct pace pace;
        pace_init(&pace, rate, warmup_s, duration_s);
        int64_t last_poll_all = pace.start;
        for (;;) {
                int64_t now = now_us();
                if (pace_over(&pace, now))
                        break;
                pace_send_due(&pace, send_one, &ctx);
                now = now_us();
                if (now - last_poll_all >= POLL_ALL_EVERY_US) {
                        serve(pfds, nclients, 1);
                        last_poll_all = now;
                }
                wait_until(pfds, nclients, pace_next_due(&pace));
        }
        pace_finish(&pace);
        const int64_t flush_deadline = now_us() + FLUSH_TIMEOUT_US;
        while (outstanding(nclients) > 0 && now_us() < flush_deadline) {
                wait_until(pfds, nclients, now_us() + 10000);
                serve(pfds, nclients, 1);
        }
        fclose(latency_fp);
        print_result(&pace, size);
        for (int i = 0; i < nclients; i++) {
                rd_kafka_topic_destroy(clients[i].rkt);
                rd_kafka_destroy(clients[i].rk);
        }
        return 0;
}
