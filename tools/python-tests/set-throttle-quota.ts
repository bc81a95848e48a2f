/*
 * Sets the client quota confluent-kafka-python's throttle test expects (its docker
 * cluster_up.sh runs `kafka-configs --alter --add-config
 * 'producer_byte_rate=1,consumer_byte_rate=1,request_percentage=001'
 * --entity-name throttled_client --entity-type clients`), through AlterClientQuotas.
 * Usage: node set-throttle-quota.ts <host:port>
 */
import { Admin, ClientQuotaEntityTypes, ClientQuotaKeys } from '@platformatic/kafka';

const bootstrap = process.argv[2];
if (!bootstrap) throw new Error('usage: set-throttle-quota.ts <host:port>');
const admin = new Admin({ clientId: 'gregor-python-tests', bootstrapBrokers: [bootstrap] });
try {
  await admin.alterClientQuotas({
    entries: [{
      entities: [{ entityType: ClientQuotaEntityTypes.CLIENT_ID, entityName: 'throttled_client' }],
      ops: [
        { key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 1, remove: false },
        { key: ClientQuotaKeys.CONSUMER_BYTE_RATE, value: 1, remove: false },
        { key: ClientQuotaKeys.REQUEST_PERCENTAGE, value: 1, remove: false },
      ],
    }],
  });
} finally {
  await admin.close();
}
