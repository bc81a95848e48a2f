/*
 * mock-broker: librdkafka's in-memory mock cluster as a stand-alone process,
 * the reference broker that bench/run.ts measures next to Gregor.
 *
 * Usage: mock-broker [broker_count]
 *   Prints "bootstrap <host:port,...>" on stdout once the cluster listens.
 *   Then reads commands from stdin, one per line:
 *     topic <name> <partitions>   create a topic (the mock has no
 *                                 CreateTopics API); answers "ok <name>" or
 *                                 "error <name> <reason>"
 *   Runs until SIGINT/SIGTERM (stdin EOF does not stop it).
 *
 * The mock keeps at most 5 MiB / 100,000 records per partition in memory
 * (librdkafka's built-in pruning), so a long produce run does not grow it.
 * Built at bench time by bench/lib/build.ts; never committed as a binary.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t running = 1;

static void on_signal(int sig) {
        (void)sig;
        running = 0;
}

/* Handles one stdin command line; unknown commands get an error answer. */
static void handle_command(rd_kafka_mock_cluster_t *mcluster, char *line) {
        char name[256];
        int partitions;
        if (sscanf(line, "topic %255s %d", name, &partitions) == 2) {
                rd_kafka_resp_err_t err =
                    rd_kafka_mock_topic_create(mcluster, name, partitions, 1);
                if (err)
                        printf("error %s %s\n", name, rd_kafka_err2str(err));
                else
                        printf("ok %s\n", name);
        } else {
                printf("error - unknown command\n");
        }
        fflush(stdout);
}

int main(int argc, char **argv) {
        char errstr[512];
        char line[512];
        int broker_count = argc > 1 ? atoi(argv[1]) : 1;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mcluster;
        int stdin_open = 1;

        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal; /* no SA_RESTART: fgets() must return */
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);

        /* Quiet the "no bootstrap.servers" warning of the book-keeping handle. */
        rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));

        /* The mock cluster needs a client handle for its book keeping. */
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-broker: rd_kafka_new: %s\n", errstr);
                return 1;
        }
        mcluster = rd_kafka_mock_cluster_new(rk, broker_count < 1 ? 1 : broker_count);
        if (!mcluster) {
                fprintf(stderr, "mock-broker: cannot create mock cluster\n");
                return 1;
        }
        printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        fflush(stdout);

        while (running) {
                if (stdin_open && fgets(line, sizeof(line), stdin))
                        handle_command(mcluster, line);
                else if (running) {
                        /* EOF, or a signal interrupted fgets(): wait for the stop signal. */
                        stdin_open = 0;
                        pause();
                }
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
