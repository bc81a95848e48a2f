/*
 * Floor of the produce path's file writes on this machine: CPU seconds per GiB of buffered
 * writes into the page cache, in Gregor's scenario-1 pattern (one positional write of
 * `write_kib` per partition file, round-robin over `files` files), no Node, no fsync.
 *
 * Three passes, each timed with getrusage (user + system CPU of this process) and wall time:
 *   new        writes new files: the kernel allocates a page-cache page for every 4 KiB
 *   overwrite  writes the same offsets again: pages are already cached, only the copy
 *   anon       memcpy of the same bytes into fresh anonymous memory (first touch, no fs),
 *              after the files are deleted
 * The two write passes also print each GiB on its own line (the cost changes as memory is
 * used up). With `fallocate` as the 5th argument the files are pre-allocated
 * (fallocate, mode 0) before the "new" pass.
 * With `files` = 0 it only runs "anon" twice, unmapping in between and sleeping the 5th
 * argument's seconds first: on a VM with free page reporting (virtio-balloon, e.g.
 * Firecracker's `page_reporting.page_reporting_order`), memory left free for a few seconds
 * is handed back to the host, and touching it again costs a host page fault per page.
 *
 * Build and run (pinned like the broker):
 *   gcc -O2 -o /tmp/page-cache-write bench/micro/page-cache-write.c
 *   taskset -c 0 /tmp/page-cache-write /tmp/pcw 2048 64 16 [fallocate]
 *   taskset -c 0 /tmp/page-cache-write - 2048 64 0 <seconds>
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(double *user, double *sys) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  *user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
  *sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  return *user + *sys;
}

static void report(const char *pass, double gib, double t0, double u0, double s0) {
  double u, s;
  cpu(&u, &s);
  double wall = now() - t0;
  printf("%-15s %.2f GiB: CPU %.2f s/GiB (user %.2f, sys %.2f), wall %.2f s = %.0f MiB/s\n", pass, gib,
         (u - u0 + s - s0) / gib, (u - u0) / gib, (s - s0) / gib, wall, gib * 1024 / wall);
}

/* Writes `total` bytes round-robin; reports each GiB and then the whole pass. */
static void write_pass(const char *pass, int *fds, int files, const char *buf, size_t chunk, long long total) {
  double u0, s0, t0 = now(), ug, sg, tg = t0;
  cpu(&u0, &s0);
  ug = u0, sg = s0;
  long long done = 0, pos = 0;
  char label[64];
  while (done < total) {
    for (int f = 0; f < files && done < total; f++, done += chunk) {
      if (pwrite(fds[f], buf, chunk, pos) != (ssize_t)chunk) { perror("pwrite"); exit(1); }
      if ((done + chunk) % (1LL << 30) == 0) {
        snprintf(label, sizeof label, " %s GiB %lld", pass, (done + chunk) >> 30);
        report(label, 1, tg, ug, sg);
        tg = now();
        cpu(&ug, &sg);
      }
    }
    pos += chunk;
  }
  report(pass, total / 1073741824.0, t0, u0, s0);
}

static void anon_pass(long long total, const char *buf, size_t chunk);

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s dir total_mib write_kib files [fallocate]\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  long long total = atoll(argv[2]) << 20;
  size_t chunk = (size_t)atoi(argv[3]) << 10;
  int files = atoi(argv[4]);
  int prealloc = argc > 5 && strcmp(argv[5], "fallocate") == 0;
  char *buf = malloc(chunk);
  memset(buf, 'x', chunk);
  if (files == 0) {
    anon_pass(total, buf, chunk);
    sleep(argc > 5 ? (unsigned)atoi(argv[5]) : 0);
    anon_pass(total, buf, chunk);
    return 0;
  }
  mkdir(dir, 0755);
  int fds[1024];
  char name[4096];
  for (int f = 0; f < files; f++) {
    snprintf(name, sizeof name, "%s/%d.log", dir, f);
    fds[f] = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fds[f] < 0) { perror("open"); return 1; }
    if (prealloc && fallocate(fds[f], 0, 0, total / files + chunk) != 0) { perror("fallocate"); return 1; }
  }
  write_pass("new", fds, files, buf, chunk, total);
  write_pass("overwrite", fds, files, buf, chunk, total);
  for (int f = 0; f < files; f++) {
    close(fds[f]);
    snprintf(name, sizeof name, "%s/%d.log", dir, f);
    unlink(name);
  }
  anon_pass(total, buf, chunk);
  return 0;
}

static void anon_pass(long long total, const char *buf, size_t chunk) {
  double u0, s0, t0 = now();
  cpu(&u0, &s0);
  char *anon = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (anon == MAP_FAILED) { perror("mmap"); exit(1); }
  madvise(anon, total, MADV_NOHUGEPAGE); /* 4 KiB pages, like the page cache */
  for (long long off = 0; off < total; off += chunk) memcpy(anon + off, buf, chunk);
  report("anon", total / 1073741824.0, t0, u0, s0);
  munmap(anon, total);
}
