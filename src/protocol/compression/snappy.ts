/**
 * Snappy (codec 2) in the two framings Kafka clients use:
 *
 * - raw: one snappy block (librdkafka, kafkajs plugins, franz-go by default).
 * - xerial (Java's snappy-java SnappyOutputStream), byte layout:
 *     0   8  magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
 *     8   4  version (int32 BE, 1)
 *    12   4  minimum compatible version (int32 BE, 1)
 *    16      chunks: int32 BE compressed length, then that many bytes of raw snappy
 *
 * Decompression detects the framing by the magic; compression writes raw unless asked.
 * Work runs off the event loop (the snappy package's async API).
 */
import snappy from 'snappy';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size; each chunk compresses this much input. */
const XERIAL_CHUNK_INPUT_BYTES = 32 * 1024;

export type SnappyFraming = 'raw' | 'xerial';

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

export async function snappyCompress(data: Buffer, framing: SnappyFraming = 'raw'): Promise<Buffer> {
  if (framing === 'raw') return snappy.compress(data);
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  const chunks: Promise<Buffer>[] = [];
  for (let pos = 0; pos < data.length; pos += XERIAL_CHUNK_INPUT_BYTES) {
    chunks.push(snappy.compress(data.subarray(pos, pos + XERIAL_CHUNK_INPUT_BYTES)));
  }
  const parts: Buffer[] = [header];
  for (const chunk of await Promise.all(chunks)) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(chunk.length, 0);
    parts.push(length, chunk);
  }
  return Buffer.concat(parts);
}

export async function snappyDecompress(data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  const blocks = isXerialFramed(data) ? xerialChunks(data) : [data];
  let total = 0;
  for (const block of blocks) {
    total += rawUncompressedLength(block);
    if (total > maxOutputBytes) throw new Error(`snappy output exceeds ${maxOutputBytes} bytes`);
  }
  const parts = await Promise.all(blocks.map((block) => snappy.uncompress(block, { asBuffer: true })));
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts as Buffer[]);
}

function xerialChunks(data: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new Error('truncated xerial snappy chunk length');
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || pos + length > data.length) throw new Error('truncated xerial snappy chunk');
    chunks.push(data.subarray(pos, pos + length));
    pos += length;
  }
  return chunks;
}

/** The uncompressed length a raw snappy block announces in its varint preamble. */
function rawUncompressedLength(block: Buffer): number {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 5 && i < block.length; i++) {
    value += (block[i] & 0x7f) * multiplier;
    if ((block[i] & 0x80) === 0) return value;
    multiplier *= 0x80;
  }
  throw new Error('invalid snappy length preamble');
}
