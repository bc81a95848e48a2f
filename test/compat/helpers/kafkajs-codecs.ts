/**
 * Compression codecs for kafkajs, which ships only gzip. Written from the Kafka wire
 * formats, independent of Gregor's own codecs:
 * - snappy: xerial framing as the Java client writes it (magic "\x82SNAPPY\0", version 1,
 *   compatible version 1, then chunks of int32 length + raw snappy block); decompression
 *   accepts xerial or raw snappy (librdkafka sends raw).
 * - lz4: the LZ4 frame format (Kafka magic v2 batches use standard frames).
 * - zstd: Node's zlib zstd.
 * `registerKafkajsCodecs()` installs them into kafkajs's CompressionCodecs table.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import snappy from 'snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';
import kafkajs from 'kafkajs';

const { CompressionCodecs, CompressionTypes } = kafkajs;

const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
/** Chunk size the Java client's SnappyOutputStream uses. */
const XERIAL_CHUNK_BYTES = 32 * 1024;

interface KafkajsEncoder {
  buffer: Buffer;
}

interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export async function xerialSnappyCompress(data: Buffer): Promise<Buffer> {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let at = 0; at < data.length; at += XERIAL_CHUNK_BYTES) {
    const block = await snappy.compress(data.subarray(at, at + XERIAL_CHUNK_BYTES));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

async function snappyUncompress(block: Buffer): Promise<Buffer> {
  return (await snappy.uncompress(block, { asBuffer: true })) as Buffer;
}

export async function anySnappyDecompress(data: Buffer): Promise<Buffer> {
  if (!data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return snappyUncompress(data);
  const parts: Buffer[] = [];
  for (let at = XERIAL_HEADER_BYTES; at < data.length; ) {
    const len = data.readInt32BE(at);
    parts.push(await snappyUncompress(data.subarray(at + 4, at + 4 + len)));
    at += 4 + len;
  }
  return Buffer.concat(parts);
}

const snappyCodec: KafkajsCodec = {
  compress: (encoder) => xerialSnappyCompress(encoder.buffer),
  decompress: anySnappyDecompress,
};

const lz4Codec: KafkajsCodec = {
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
};

const zstdCodec: KafkajsCodec = {
  compress: (encoder) => zstdCompress(encoder.buffer),
  decompress: (buffer) => zstdDecompress(buffer),
};

export function registerKafkajsCodecs(): void {
  const codecs = CompressionCodecs as Record<number, () => KafkajsCodec>;
  codecs[CompressionTypes.Snappy] = () => snappyCodec;
  codecs[CompressionTypes.LZ4] = () => lz4Codec;
  codecs[CompressionTypes.ZSTD] = () => zstdCodec;
}
