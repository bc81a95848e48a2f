/*
 * What the bench's paced load generators (multi-producer, wire-producer) share: clocks, the
 * process's own CPU and run-queue wait, a stop flag for SIGINT/SIGTERM, a short list of
 * distinct error messages, the histogram of how late each record was sent against its
 * schedule, the counters of the measured phase, the pacing loop's schedule (record n is due
 * at start + n / rate; warm-up, then the measured phase) and the one-line JSON result.
 * Header-only: each generator is one translation unit that includes it once.
 */
#ifndef GREGOR_BENCH_PACED_H
#define GREGOR_BENCH_PACED_H

#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Schedule lag histogram: 10 us buckets up to 1 s (later lags land in the last bucket). */
#define LAG_BUCKET_US 10
#define LAG_BUCKETS 100000
/* Distinct error messages kept for the final report. */
#define ERRORS_MAX 3
/* Records sent back to back at most before the generator serves its I/O again. */
#define BURST_MAX 256
/* Outstanding records are waited for this long after the last send. */
#define FLUSH_TIMEOUT_US (30 * 1000000LL)

static volatile sig_atomic_t stop_requested = 0;
static uint32_t lag_hist[LAG_BUCKETS];
static int64_t lag_max_us = 0;
static uint64_t lag_count = 0;
static char errors[ERRORS_MAX][256];
static int error_count = 0;
/* The measured phase: records sent before it are neither counted nor timed. */
static int64_t measure_start_us = -1;
static uint64_t delivered = 0, failed = 0, sent_measured = 0, queue_full = 0;
/* When the last measured record was acknowledged. */
static int64_t last_done_us = 0;
/* One line per acknowledged measured record: its latency in us. */
static FILE *latency_fp;

static int64_t now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* CPU time (user + system) of the whole process, all threads. */
static int64_t cpu_us(void) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Time (us) this process's main thread has waited on a run queue for a CPU (/proc/self/schedstat, field 2). */
static int64_t runqueue_wait_us(void) {
        unsigned long long run_ns = 0, wait_ns = 0;
        FILE *f = fopen("/proc/self/schedstat", "r");
        if (!f)
                return 0;
        if (fscanf(f, "%llu %llu", &run_ns, &wait_ns) != 2)
                wait_ns = 0;
        fclose(f);
        return (int64_t)(wait_ns / 1000);
}

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

static void remember_error(const char *msg) {
        for (int i = 0; i < error_count; i++)
                if (strcmp(errors[i], msg) == 0)
                        return;
        if (error_count < ERRORS_MAX)
                snprintf(errors[error_count++], sizeof(errors[0]), "%s", msg);
}

static void record_lag(int64_t lag) {
        int64_t bucket = lag / LAG_BUCKET_US;
        if (bucket >= LAG_BUCKETS)
                bucket = LAG_BUCKETS - 1;
        lag_hist[bucket]++;
        lag_count++;
        if (lag > lag_max_us)
                lag_max_us = lag;
}

static int64_t lag_p99_us(void) {
        uint64_t rank = (lag_count * 99 + 99) / 100, seen = 0;
        for (int i = 0; i < LAG_BUCKETS; i++) {
                seen += lag_hist[i];
                if (seen >= rank && rank > 0)
                        return (int64_t)(i + 1) * LAG_BUCKET_US;
        }
        return 0;
}

/* Opens the latency file and makes SIGINT/SIGTERM end the run; 0 on success. */
static int paced_setup(const char *latency_path) {
        latency_fp = fopen(latency_path, "w");
        if (!latency_fp) {
                perror(latency_path);
                return -1;
        }
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        return 0;
}

/* A record's outcome: `error` NULL = acknowledged (its latency goes to the latency file). */
static void record_outcome(int64_t sent_at, int64_t now, const char *error) {
        if (measure_start_us < 0 || sent_at < measure_start_us)
                return;
        if (error) {
                failed++;
                remember_error(error);
                return;
        }
        delivered++;
        last_done_us = now;
        fprintf(latency_fp, "%" PRId64 "\n", now - sent_at);
}

struct pace {
        int64_t start, warmup_end, measure_end;
        double period_us;
        /* Records sent so far (warm-up included). */
        uint64_t n;
        int64_t cpu_at_measure, wait_at_measure;
        /* The measured phase's wall time, process CPU and run-queue wait (pace_finish). */
        int64_t measured_wall_us, measured_cpu_us, measured_wait_us;
};

static void pace_init(struct pace *p, double rate, double warmup_s, double duration_s) {
        memset(p, 0, sizeof(*p));
        p->start = now_us();
        p->warmup_end = p->start + (int64_t)(warmup_s * 1e6);
        p->measure_end = duration_s > 0 ? p->warmup_end + (int64_t)(duration_s * 1e6) : INT64_MAX;
        p->period_us = 1e6 / rate;
}

static int64_t pace_next_due(const struct pace *p) {
        return p->start + (int64_t)((double)p->n * p->period_us);
}

/* Starts the measured phase when due (always, even after a stall past its end); 1 = the run is over. */
static int pace_over(struct pace *p, int64_t now) {
        if (measure_start_us < 0 && now >= p->warmup_end) {
                measure_start_us = now;
                p->cpu_at_measure = cpu_us();
                p->wait_at_measure = runqueue_wait_us();
                printf("measuring\n");
                fflush(stdout);
        }
        return stop_requested || now >= p->measure_end;
}

/* Sends the records due by now through `send(n, ctx)`, at most BURST_MAX, so a generator
 * that falls behind still serves its I/O and sees the clock. */
static void pace_send_due(struct pace *p, void (*send)(uint64_t n, void *ctx), void *ctx) {
        int64_t now = now_us();
        for (int burst = 0; pace_next_due(p) <= now && burst < BURST_MAX; burst++) {
                if (measure_start_us >= 0)
                        record_lag(now - pace_next_due(p));
                send(p->n, ctx);
                p->n++;
                now = now_us();
        }
}

/* Ends the measured phase (before waiting for outstanding records). */
static void pace_finish(struct pace *p) {
        if (measure_start_us < 0)
                return;
        p->measured_wall_us = now_us() - measure_start_us;
        p->measured_cpu_us = cpu_us() - p->cpu_at_measure;
        p->measured_wait_us = runqueue_wait_us() - p->wait_at_measure;
}

/* The result line: {"sent","delivered","failed","bytes","elapsedMs","wallMs","cpuMs",
 * "runqueueWaitMs","lagP99Us","lagMaxUs","queueFull","errors"}. */
static void print_result(const struct pace *p, size_t record_size) {
        int64_t elapsed_us = measure_start_us >= 0 && last_done_us > measure_start_us ? last_done_us - measure_start_us : 0;
        printf("{\"sent\":%" PRIu64 ",\"delivered\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"bytes\":%" PRIu64
               ",\"elapsedMs\":%.3f,\"wallMs\":%.3f,\"cpuMs\":%.3f,\"runqueueWaitMs\":%.3f,\"lagP99Us\":%" PRId64
               ",\"lagMaxUs\":%" PRId64 ",\"queueFull\":%" PRIu64 ",\"errors\":[",
               sent_measured, delivered, failed, delivered * (uint64_t)record_size, elapsed_us / 1000.0, p->measured_wall_us / 1000.0,
               p->measured_cpu_us / 1000.0, p->measured_wait_us / 1000.0, lag_p99_us(), lag_max_us, queue_full);
        for (int i = 0; i < error_count; i++) {
                printf("%s\"", i ? "," : "");
                for (const char *c = errors[i]; *c; c++)
                        if (*c != '"' && *c != '\\' && (unsigned char)*c >= 0x20)
                                putchar(*c);
                printf("\"");
        }
        printf("]}\n");
        fflush(stdout);
}

#endif
