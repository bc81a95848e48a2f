/**
 * Kafka's topic name rules: 1..249 characters from [a-zA-Z0-9._-], not "." or "..".
 * Because metric names turn '.' into '_', two names that differ only there collide
 * ("a.b" vs "a_b"), and Kafka refuses to create the second one.
 */

export const TOPIC_NAME_MAX_LENGTH = 249;
export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC = '__transaction_state';
/** Topics the broker itself owns (reported with isInternal = true). */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC]);

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Returns why `name` is not a legal topic name, or null if it is. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > TOPIC_NAME_MAX_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${TOPIC_NAME_MAX_LENGTH} characters, topic name: ${name}`;
  }
  if (!LEGAL.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return null;
}

/** The form two names are compared in for collisions ('.' and '_' are the same). */
export function collisionKey(name: string): string {
  return name.replaceAll('.', '_');
}

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}
