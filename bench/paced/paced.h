/*
 * What the bench's paced load generators (multi-producer, wire-producer) share: clocks, the
 * process's own CPU and run-queue wait, a stop flag for SIGINT/SIGTERM, a short list of
 * distinct error messages, and the histogram of how late each record was sent against its
 * schedule. Header-only: each generator is one translation unit that includes it once.
 */
#ifndef GREGOR_BENCH_PACED_H
#define GREGOR_BENCH_PACED_H

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

static volatile sig_atomic_t stop_requested = 0;
static uint32_t lag_hist[LAG_BUCKETS];
static int64_t lag_max_us = 0;
static uint64_t lag_count = 0;
static char errors[ERRORS_MAX][256];
static int error_count = 0;

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

#endif
