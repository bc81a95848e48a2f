/**
 * The part of the "consumer" embedded protocol the coordinator reads: the topics in a
 * member's subscription (ConsumerProtocolSubscription). Every version starts with
 * int16 version, then the topics array (int32 count + int16-length strings), so reading
 * that prefix works for all versions, as Kafka's ClassicGroup.computeSubscribedTopics does.
 * Used for OffsetDelete's GROUP_SUBSCRIBED_TO_TOPIC and for offset expiry.
 */
import { Reader } from '../../protocol/reader.ts';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The subscribed topics, or null when the bytes are not a consumer subscription. */
export function subscribedTopics(metadata: Buffer): string[] | null {
  try {
    const r = new Reader(metadata);
    r.readInt16();
    const count = r.readInt32();
    if (count < 0 || count > r.remaining()) return null;
    const topics: string[] = [];
    for (let i = 0; i < count; i++) topics.push(r.readString());
    return topics;
  } catch {
    return null;
  }
}
