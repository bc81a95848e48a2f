// Builds the benchmark's native tools into bench/.build/ (gitignored) at bench time:
// - rdkafka_performance, librdkafka's own load generator, from Debian's librdkafka source
//   package of the installed librdkafka-dev version (needs a deb-src entry: see
//   bench/setup-deb-src.sh), or from an extracted source tree named by RDKAFKA_SRC;
// - mock-broker, our wrapper around librdkafka's in-memory mock cluster (bench/mock-broker/);
// - multi-producer, our paced librdkafka producer of one or many clients (bench/multi-producer/, scenario 5);
// - wire-producer, our paced many-connection producer speaking the wire protocol (bench/wire-producer/, scenario 6).
// Both link against the system librdkafka (Debian librdkafka-dev).
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from './proc.ts';

export interface BenchTools {
  /** librdkafka's examples/rdkafka_performance */
  perf: string;
  /** bench/mock-broker/mock-broker.c */
  mockBroker: string;
  /** bench/multi-producer/multi-producer.c */
  multiProducer: string;
  /** bench/wire-producer/wire-producer.c */
  wireProducer: string;
}

const BUILD_TIMEOUT_MS = 300_000;

export async function buildTools(benchDir: string): Promise<BenchTools> {
  const buildDir = join(benchDir, '.build');
  await mkdir(buildDir, { recursive: true });
  if (!existsSync('/usr/include/librdkafka/rdkafka_mock.h')) {
    throw new Error('librdkafka-dev is not installed: apt-get install -y librdkafka-dev');
  }
  const mockBroker = join(buildDir, 'mock-broker');
  await gcc([join(benchDir, 'mock-broker', 'mock-broker.c'), '-o', mockBroker, '-lrdkafka', '-lpthread'], benchDir);
  const multiProducer = join(buildDir, 'multi-producer');
  await gcc([join(benchDir, 'multi-producer', 'multi-producer.c'), '-o', multiProducer, '-lrdkafka', '-lpthread'], benchDir);
  const wireProducer = join(buildDir, 'wire-producer');
  await gcc([join(benchDir, 'wire-producer', 'wire-producer.c'), '-o', wireProducer], benchDir);
  const perf = join(buildDir, 'rdkafka_performance');
  if (!existsSync(perf) || process.env.BENCH_REBUILD === '1') {
    const srcTree = process.env.RDKAFKA_SRC ?? (await fetchLibrdkafkaSource(buildDir));
    await buildPerf(srcTree, perf);
  }
  return { perf, mockBroker, multiProducer, wireProducer };
}

function gcc(args: string[], cwd: string): Promise<string> {
  return runChecked('gcc', ['-O2', '-Wall', ...args], { cwd, timeoutMs: BUILD_TIMEOUT_MS });
}

/** Downloads (no dpkg-dev needed) and extracts the source of the installed librdkafka version. */
async function fetchLibrdkafkaSource(buildDir: string): Promise<string> {
  const debVersion = (
    await runChecked('dpkg-query', ['-W', '-f=${Version}', 'librdkafka-dev'], { timeoutMs: 10_000 })
  ).trim();
  const upstream = debVersion.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
  const srcDir = join(buildDir, 'src');
  const tree = join(srcDir, `librdkafka-${upstream}`);
  if (existsSync(join(tree, 'examples', 'rdkafka_performance.c'))) return tree;
  await mkdir(srcDir, { recursive: true });
  try {
    await runChecked('apt-get', ['source', '--download-only', `librdkafka=${debVersion}`], {
      cwd: srcDir,
      timeoutMs: BUILD_TIMEOUT_MS,
    });
  } catch (err) {
    throw new Error(
      `cannot download Debian's librdkafka source (${String(err).split('\n')[0]}).\n` +
        'Enable deb-src once with `bash bench/setup-deb-src.sh`, or set RDKAFKA_SRC to an extracted librdkafka tree.',
    );
  }
  const tarball = (await readdir(srcDir)).find((f) => f.endsWith('.orig.tar.gz'));
  if (!tarball) throw new Error(`no .orig.tar.gz in ${srcDir}`);
  await runChecked('tar', ['xzf', tarball], { cwd: srcDir, timeoutMs: BUILD_TIMEOUT_MS });
  return tree;
}

/** ./configure only generates config.h for rd.h; the binary links the system librdkafka. */
async function buildPerf(tree: string, out: string): Promise<void> {
  if (!existsSync(join(tree, 'config.h'))) {
    await runChecked('./configure', [], { cwd: tree, timeoutMs: BUILD_TIMEOUT_MS });
  }
  const examples = join(tree, 'examples');
  await runChecked(
    'gcc',
    ['-O2', '-I../src', '-I..', 'rdkafka_performance.c', '-o', out, '-lrdkafka', '-lm', '-lpthread'],
    { cwd: examples, timeoutMs: BUILD_TIMEOUT_MS },
  );
}
