/**
 * The agent API as the inbox calls it: bearer token, JSON in and out, the server's reason on
 * failure. A 401 gets one refresh of the token and one retry; after that the agent signs in again.
 */
import {
  type AgentRouteKey,
  type AgentRouteParams,
  agentRequest,
} from '../../../functions/adapters/http/agent-routes.ts';
import type { Session } from './auth.ts';
import type {
  AttachmentInput,
  CannedResponse,
  Channel,
  ConversationDetail,
  ConversationRow,
  CustomerDetail,
  CustomerTimeline,
  QueueFilters,
  TimelineMessage,
  Upload,
} from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Call {
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  /** The query string, for the routes that read one. */
  readonly query?: URLSearchParams;
}

export class InboxApi {
  constructor(
    private readonly baseUrl: string,
    private readonly session: Session,
  ) {}

  /** One call of an agent route: its method and path come from the route table the API routes by. */
  private async call<T, K extends AgentRouteKey = AgentRouteKey>(
    route: K,
    params: AgentRouteParams<K>,
    call: Call = {},
    retried = false,
  ): Promise<T> {
    const { method, path } = agentRequest(route, params);
    const headers: Record<string, string> = { authorization: `Bearer ${this.session.token()}` };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    const query = call.query ? `?${call.query}` : '';
    const answer = await fetch(`${this.baseUrl}${path}${query}`, {
      method,
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    if (answer.status === 401 && !retried) {
      if (await this.session.refresh()) return this.call<T, K>(route, params, call, true);
      this.session.signInAgain();
    }
    const text = await answer.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = {};
    }
    if (!answer.ok) {
      const error = (json ?? {}) as { error?: string; reason?: string; field?: string };
      throw new ApiError(answer.status, error.reason ?? error.error ?? `HTTP ${answer.status}`, error.field);
    }
    return json as T;
  }

  listConversations(
    filters: QueueFilters,
    limit = 50,
  ): Promise<{ items: ConversationRow[]; nextToken?: string }> {
    const query = new URLSearchParams({ view: filters.view, status: filters.status, sort: filters.sort });
    if (filters.channel) query.set('channel', filters.channel);
    if (filters.label) query.set('label', filters.label);
    if (filters.unread) query.set('unread', 'true');
    query.set('limit', String(limit));
    return this.call('GET /conversations', {}, { query });
  }

  async conversation(id: string): Promise<ConversationDetail> {
    // `{ conversation, messages }`; older APIs answered the conversation's fields at the top level.
    const answer = await this.call<Partial<ConversationDetail> & ConversationRow>('GET /conversations/{id}', {
      id,
    });
    return { conversation: answer.conversation ?? answer, messages: answer.messages ?? [] };
  }

  customer(id: string): Promise<CustomerDetail> {
    return this.call('GET /customers/{id}', { id });
  }

  async timeline(customerId: string): Promise<CustomerTimeline> {
    const answer = await this.call<Partial<CustomerTimeline> & { items?: CustomerTimeline['messages'] }>(
      'GET /customers/{id}/timeline',
      { id: customerId },
    );
    return {
      ...(answer.customer ? { customer: answer.customer } : {}),
      messages: answer.messages ?? answer.items ?? [],
      conversations: answer.conversations ?? [],
    };
  }

  cannedResponses(): Promise<{ items: CannedResponse[] }> {
    return this.call('GET /canned-responses', {});
  }

  reply(
    id: string,
    input: { text: string; channel?: Channel; attachments?: AttachmentInput[] },
    idempotencyKey: string,
  ): Promise<unknown> {
    return this.call('POST /conversations/{id}/replies', { id }, { body: input, idempotencyKey });
  }

  note(id: string, text: string, idempotencyKey: string): Promise<{ note: TimelineMessage }> {
    return this.call('POST /conversations/{id}/notes', { id }, { body: { text }, idempotencyKey });
  }

  assign(id: string, assignee: string | null): Promise<unknown> {
    return this.call('POST /conversations/{id}/assign', { id }, { body: { assignee } });
  }

  status(id: string, status: 'open' | 'pending'): Promise<unknown> {
    return this.call('POST /conversations/{id}/status', { id }, { body: { status } });
  }

  close(id: string): Promise<{ survey?: unknown }> {
    return this.call('POST /conversations/{id}/close', { id }, { body: {} });
  }

  labels(
    id: string,
    change: { add?: string[]; remove?: string[] },
  ): Promise<{ conversation: ConversationRow }> {
    return this.call('POST /conversations/{id}/labels', { id }, { body: change });
  }

  snooze(id: string, until: string): Promise<unknown> {
    return this.call('POST /conversations/{id}/snooze', { id }, { body: { until } });
  }

  markRead(id: string): Promise<unknown> {
    return this.call('POST /conversations/{id}/read', { id }, { body: {} });
  }

  typing(id: string, state: 'start' | 'stop'): Promise<unknown> {
    return this.call('POST /conversations/{id}/typing', { id }, { body: { state } });
  }

  mergeCustomers(sourceId: string, targetId: string): Promise<unknown> {
    return this.call('POST /customers/merge', {}, { body: { sourceId, targetId } });
  }

  mergeConversations(sourceId: string, targetId: string): Promise<unknown> {
    return this.call('POST /conversations/merge', {}, { body: { sourceId, targetId } });
  }

  /** Presigned POST first, then the file straight to the object store; the reply names the key. */
  async upload(conversationId: string, file: File): Promise<AttachmentInput> {
    const contentType = file.type || 'application/octet-stream';
    const grant = await this.call<Upload>(
      'POST /conversations/{id}/attachments',
      { id: conversationId },
      {
        body: { filename: file.name, contentType, size: file.size },
      },
    );
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
    form.append('file', file);
    const stored = await fetch(grant.url, { method: 'POST', body: form });
    if (!stored.ok) throw new ApiError(stored.status, `the upload of ${file.name} failed (${stored.status})`);
    return { objectKey: grant.objectKey, filename: file.name, contentType, size: file.size };
  }
}
