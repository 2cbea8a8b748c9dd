import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { MAX_FRAME_BYTES } from '../../channels/chat/frames.ts';
import type { AgentGateway, AgentServerFrame } from '../../core/agent/live-updates.ts';
import type { ChatGateway, ChatServerFrame } from '../../core/chat/ports.ts';
import { type ChatDeliveryDeps, deliverChatMessage } from '../../core/chat/visitor-chat.ts';
import { PermanentDeliveryError, RetryableError } from '../../core/errors.ts';
import type { OutboundRequest } from '../../core/model.ts';
import type { ChannelSender, SentMessage } from '../../core/ports/outbound.ts';

/**
 * PostToConnection on the WebSocket API's management endpoint; 410 Gone means the socket closed.
 * Visitors' and agents' sockets are connections of the same API.
 */
export class ApiGatewayChatGateway implements ChatGateway, AgentGateway {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async post(connectionId: string, frame: ChatServerFrame | AgentServerFrame): Promise<'sent' | 'gone'> {
    const data = Buffer.from(JSON.stringify(frame), 'utf8');
    if (data.length > MAX_FRAME_BYTES) {
      throw new PermanentDeliveryError(`the chat frame is larger than ${MAX_FRAME_BYTES} bytes`);
    }
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      return 'sent';
    } catch (error) {
      if (
        error instanceof GoneException ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
      ) {
        return 'gone';
      }
      throw new RetryableError('the chat connection could not be written to; retry later', { cause: error });
    }
  }
}

/**
 * The dispatcher's chat sender: the message goes to every open socket of the visitor. With none
 * open it is still sent: it sits on the timeline and the widget's next resync shows it.
 */
export class ChatSender implements ChannelSender {
  constructor(private readonly deps: ChatDeliveryDeps) {}

  async send(request: OutboundRequest): Promise<SentMessage> {
    await deliverChatMessage(this.deps, request);
    return { providerMessageId: request.id };
  }
}

/** The chat channel's deployment settings (from the function's environment). */
export interface ChatSettings {
  /** The WebSocket API's management endpoint (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`). */
  readonly connectionsEndpoint: string;
}

export function chatSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ChatSettings | undefined {
  const endpoint = env.CHAT_CONNECTIONS_ENDPOINT;
  return endpoint ? { connectionsEndpoint: endpoint } : undefined;
}

/** The management API client for the chat's WebSocket API; undefined where chat is not deployed. */
export function chatGatewayClient(
  settings: ChatSettings | undefined,
): ApiGatewayManagementApiClient | undefined {
  return settings ? new ApiGatewayManagementApiClient({ endpoint: settings.connectionsEndpoint }) : undefined;
}
