/**
 * What every command that talks to a broker shares: the --bootstrap-server option and
 * running the command's body with a connected client that is always closed afterwards.
 */
import type { Command } from 'commander';
import { KafkaClient } from './client/kafka-client.ts';

export const DEFAULT_BOOTSTRAP_SERVER = 'localhost:9092';

export interface BootstrapOptions {
  bootstrapServer: string;
}

/** Adds --bootstrap-server (comma-separated host:port list, as Kafka's tools take). */
export function withBootstrapOption(command: Command): Command {
  return command.option('--bootstrap-server <host:port>', 'broker(s) to connect to, comma-separated', DEFAULT_BOOTSTRAP_SERVER);
}

export async function withClient<T>(opts: BootstrapOptions, fn: (client: KafkaClient) => Promise<T>): Promise<T> {
  const client = new KafkaClient({ bootstrapServers: opts.bootstrapServer.split(',') });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
