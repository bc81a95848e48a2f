/**
 * Kafka UUIDs (topic ids, directory ids) in Java's Uuid.toString() form: 16 bytes as
 * base64url without padding (22 characters). Random ids avoid the reserved zero and
 * metadata-topic ids and never start with '-' (so they are never read as a CLI flag), as
 * Kafka's Uuid.randomUuid does.
 */
import { randomBytes } from 'node:crypto';

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
/** Kafka's reserved id of the __cluster_metadata topic (…0001). */
export const METADATA_TOPIC_UUID = 'AAAAAAAAAAAAAAAAAAAAAQ';

export function randomUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id !== ZERO_UUID && id !== METADATA_TOPIC_UUID && !id.startsWith('-')) return id;
  }
}

/** True for a 22-character base64url string that decodes to 16 bytes. */
export function isUuid(text: string): boolean {
  return /^[A-Za-z0-9_-]{21}[AQgw]$/.test(text);
}
