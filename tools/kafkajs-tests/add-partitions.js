#!/usr/bin/env node
// Stands in for kafkajs's scripts/addPartitions.sh (which runs kafka-topics in the docker
// container): grows topic $TOPIC to $PARTITIONS partitions on the Gregor broker at
// localhost:$GREGOR_PORT, with the kafkajs source tree's own admin client (CreatePartitions).
// Copied over scripts/addPartitions.sh by tools/run-kafkajs-tests.sh; run from the tree's root.
const { Kafka, logLevel } = require('./index')

async function main() {
  const { TOPIC: topic, PARTITIONS: count, GREGOR_PORT: port } = process.env
  if (!topic || !count || !port) throw new Error('TOPIC, PARTITIONS and GREGOR_PORT are mandatory')
  const kafka = new Kafka({ clientId: 'add-partitions', brokers: [`localhost:${port}`], logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    await admin.createPartitions({ topicPartitions: [{ topic, count: Number(count) }] })
  } finally {
    await admin.disconnect()
  }
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
