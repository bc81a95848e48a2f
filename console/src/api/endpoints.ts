/**
 * The admin API calls the console makes, one function each. Response shapes come from the
 * broker's own declarations (src/http/api/types.ts, type-only import: nothing of the
 * server is bundled), so a change there that breaks the console fails `npm run build:console`.
 */
import type {
  AlterConfigsBody,
  ConfigsResponse,
  CreateTopicBody,
  GroupDetail,
  GroupsResponse,
  MessagesResponse,
  MetricsSeriesResponse,
  OverviewResponse,
  ProducersResponse,
  ResetOffsetsBody,
  ResetOffsetsResponse,
  TopicDetail,
  TopicsResponse,
  TransactionSummary,
  TransactionsResponse,
} from '../../../src/http/api/types.ts';
import { api } from './client.ts';

export type * from '../../../src/http/api/types.ts';

const seg = encodeURIComponent;

/** Where to start reading a partition in the message browser. */
export type MessagesFrom = { offset: number } | { timestamp: number } | { latest: number };

export const gregor = {
  overview: () => api.get<OverviewResponse>('overview'),
  metricsSeries: () => api.get<MetricsSeriesResponse>('metrics/series'),

  topics: () => api.get<TopicsResponse>('topics'),
  topic: (name: string) => api.get<TopicDetail>(`topics/${seg(name)}`),
  createTopic: (body: CreateTopicBody) => api.post<TopicDetail>('topics', body),
  deleteTopic: (name: string) => api.del<{ deleted: string; topicId: string }>(`topics/${seg(name)}`),
  addPartitions: (name: string, count: number) => api.post<TopicDetail>(`topics/${seg(name)}/partitions`, { count }),
  topicConfigs: (name: string) => api.get<ConfigsResponse>(`topics/${seg(name)}/configs`),
  alterTopicConfigs: (name: string, body: AlterConfigsBody) => api.patch<ConfigsResponse>(`topics/${seg(name)}/configs`, body),

  messages: (topic: string, partition: number, from: MessagesFrom, limit: number) =>
    api.get<MessagesResponse>(`topics/${seg(topic)}/messages`, {
      partition,
      limit,
      ...('offset' in from ? { offset: from.offset } : 'timestamp' in from ? { timestamp: from.timestamp } : { latest: from.latest }),
    }),

  groups: () => api.get<GroupsResponse>('groups'),
  group: (id: string) => api.get<GroupDetail>(`groups/${seg(id)}`),
  resetOffsets: (id: string, body: ResetOffsetsBody) => api.post<ResetOffsetsResponse>(`groups/${seg(id)}/reset-offsets`, body),

  transactions: () => api.get<TransactionsResponse>('transactions'),
  transaction: (id: string) => api.get<TransactionSummary>(`transactions/${seg(id)}`),
  producers: () => api.get<ProducersResponse>('producers'),
};
