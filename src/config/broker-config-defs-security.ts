/**
 * Broker SASL keys (Apache Kafka 4.0 names, types, defaults and ranges). Gregor has no
 * SASL yet, so all are `unused`: accepted in server.properties, described by
 * DescribeConfigs, and, being listener configs Kafka reconfigures at run time
 * (DynamicListenerConfig), changeable through AlterConfigs on a BROKER resource, as
 * admin clients expect (librdkafka's test 0081 alters sasl.kerberos.min.time.before.relogin).
 */
import type { ConfigDef } from './config-types.ts';
import { between } from './config-values.ts';
import { define } from './define.ts';

const NO_SASL = 'not supported yet.';

export const SECURITY_CONFIG_DEFS: readonly ConfigDef[] = [
  define('sasl.enabled.mechanisms', 'LIST', 'GSSAPI', undefined, `SASL mechanisms offered to clients; ${NO_SASL}`, { unused: true }),
  define('sasl.mechanism.inter.broker.protocol', 'STRING', 'GSSAPI', undefined, `SASL mechanism between brokers; ${NO_SASL}`, { unused: true }),
  define('sasl.jaas.config', 'PASSWORD', null, undefined, `JAAS login context for SASL connections; ${NO_SASL}`, { unused: true, sensitive: true }),
  define('sasl.kerberos.service.name', 'STRING', null, undefined, `Kerberos principal name Kafka runs as; ${NO_SASL}`, { unused: true }),
  define('sasl.kerberos.kinit.cmd', 'STRING', '/usr/bin/kinit', undefined, `Kerberos kinit command path; ${NO_SASL}`, { unused: true }),
  define('sasl.kerberos.ticket.renew.window.factor', 'DOUBLE', '0.8', undefined, `Share of a ticket's lifetime before renewal; ${NO_SASL}`, { unused: true }),
  define('sasl.kerberos.ticket.renew.jitter', 'DOUBLE', '0.05', undefined, `Random jitter added to the renewal time; ${NO_SASL}`, { unused: true }),
  define('sasl.kerberos.min.time.before.relogin', 'LONG', '60000', undefined, `Login thread sleep between refresh attempts (ms); ${NO_SASL}`, { unused: true }),
  define('sasl.kerberos.principal.to.local.rules', 'LIST', 'DEFAULT', undefined, `Rules mapping principal names to short names; ${NO_SASL}`, { unused: true }),
  define('sasl.login.refresh.window.factor', 'DOUBLE', '0.8', between(0.5, 1), `Share of a credential's lifetime before refresh; ${NO_SASL}`, { unused: true }),
  define('sasl.login.refresh.window.jitter', 'DOUBLE', '0.05', between(0, 0.25), `Random jitter added to the refresh time; ${NO_SASL}`, { unused: true }),
  define('sasl.login.refresh.min.period.seconds', 'SHORT', '60', between(0, 900), `Least time between credential refreshes; ${NO_SASL}`, { unused: true }),
  define('sasl.login.refresh.buffer.seconds', 'SHORT', '300', between(0, 3600), `Time before expiry to refresh a credential; ${NO_SASL}`, { unused: true }),
];

/** Kafka's DynamicListenerConfig keys among these (all of them). */
export const DYNAMIC_SECURITY_KEYS: readonly string[] = SECURITY_CONFIG_DEFS.map((d) => d.name);
