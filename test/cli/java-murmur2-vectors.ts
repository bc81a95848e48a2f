/**
 * Known murmur2 hashes from Kafka's Java client (UtilsTest.testMurmur2 in
 * clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java).
 */
export const JAVA_MURMUR2: Readonly<Record<string, number>> = {
  '21': -973932308,
  foobar: -790332482,
  'a-little-bit-long-string': -985981536,
  'a-little-bit-longer-string': -1486304829,
  lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971,
  abc: 479470107,
};
