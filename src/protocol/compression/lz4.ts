/**
 * LZ4 (codec 3) in the standard LZ4 frame format (magic 0x184D2204), which the Java
 * client (KafkaLZ4BlockOutputStream), librdkafka and kafkajs plugins all use for
 * message format v1 and v2. Via lz4-napi's async frame API (off the event loop).
 *
 * Not handled: magic-0 messages from Kafka < 0.10 computed the frame header checksum
 * over the wrong bytes (KAFKA-3160); such frames are rejected as corrupt.
 */
import { compressFrame, decompressFrame } from 'lz4-napi';

export const LZ4_FRAME_MAGIC = 0x184d2204;

export function lz4Compress(data: Buffer): Promise<Buffer> {
  return compressFrame(data);
}

export async function lz4Decompress(data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  if (data.length < 4 || data.readUInt32LE(0) !== LZ4_FRAME_MAGIC) throw new Error('not an LZ4 frame');
  const out = await decompressFrame(data);
  // The frame does not announce its size up front; check after the fact.
  if (out.length > maxOutputBytes) throw new Error(`lz4 output exceeds ${maxOutputBytes} bytes`);
  return out;
}
