import { Duration } from 'aws-cdk-lib';
import type { HttpMethod, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  AGENT_CHANNELS_VARIABLE,
  AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE,
  AGENT_ROUTES,
} from '../../functions/adapters/http/agent-routes.ts';
import type { SupportConfig } from '../../functions/core/config.ts';
import type { Channel } from '../../functions/core/model.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { SupportHttpApi } from './http-api.ts';
import type { MailStorage } from './mail-storage.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

/** How API Gateway checks an agent's token. */
export interface AgentJwtSettings {
  /** The identity provider's issuer URL (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** Accepted audiences (Cognito: the app client ids). */
  readonly audience: readonly string[];
  /**
   * Each route requires its scope from the agent route table (read, write, admin).
   * @default true
   */
  readonly requireScopes?: boolean;
}

export interface AgentApiProps {
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  readonly httpApi: SupportHttpApi;
  /** Where replies and surveys are queued for the dispatcher. */
  readonly outboundQueue: IQueue;
  /**
   * The JWT authorizer's issuer and audience.
   * @default - IAM auth: callers sign requests with SigV4 and need execute-api:Invoke
   */
  readonly jwt?: AgentJwtSettings;
  /** @default DEFAULT_THROTTLES.agentApi */
  readonly throttle?: Throttle;
  /**
   * Only a conversation's assignee may reply to it (others get 403).
   * @default false
   */
  readonly repliesOnlyByAssignee?: boolean;
  /**
   * The mail bucket agents upload reply files to (presigned POSTs into its agent folder).
   * @default - replies take no files
   */
  readonly mailStorage?: MailStorage;
  /**
   * The channels the stack sends on: the sidebar and the reply channel picker offer only these.
   * @default - email, plus SMS and chat when the support config has them
   */
  readonly channels?: readonly Channel[];
}

/**
 * The agent-facing API: list, read, answer, assign and close conversations, a customer's timeline
 * and the channel report, on the stack's HTTP API behind a JWT authorizer (or IAM auth). One
 * function serves every route; it may read the table and update items (every agent write is a
 * conditional update), and send to the outbound queue, nothing else.
 */
export class AgentApi extends Construct implements Monitored {
  readonly function: SupportFunction;
  readonly authorizer: IHttpRouteAuthorizer;
  readonly #httpApiUrl: string;
  readonly #signedWithJwt: boolean;

  constructor(scope: Construct, id: string, props: AgentApiProps) {
    super(scope, id);
    this.#httpApiUrl = props.httpApi.url;
    this.#signedWithJwt = props.jwt !== undefined;
    this.function = new SupportFunction(this, 'Function', {
      ...props.functionDefaults,
      entry: handlerEntry('agent-api'),
      description: 'The agent API: lists, reads, answers, assigns and closes conversations; channel report',
      memorySize: 512,
      timeout: Duration.seconds(15),
    })
      // Merges append consent history and order links (PutItem) and delete nothing (no DeleteItem).
      .bindConversationStore(props.store, 'readPutUpdate', 'agentApi')
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support);
    if (props.mailStorage) {
      // Long email bodies are read back where an agent opens a conversation.
      this.function.bindMailStorage(props.mailStorage, { agentUploads: true, readMessageBodies: true });
    }
    if (props.channels) {
      this.function.setEnvironment(AGENT_CHANNELS_VARIABLE, props.channels.join(','));
    }
    if (props.repliesOnlyByAssignee) {
      this.function.setEnvironment(AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE, 'true');
    }

    this.authorizer = props.jwt
      ? new HttpJwtAuthorizer('AgentJwtAuthorizer', props.jwt.issuer, {
          jwtAudience: [...props.jwt.audience],
          identitySource: ['$request.header.Authorization'],
        })
      : new HttpIamAuthorizer();
    const throttle = props.throttle ?? DEFAULT_THROTTLES.agentApi;
    const requireScopes = props.jwt !== undefined && props.jwt.requireScopes !== false;
    for (const [index, route] of AGENT_ROUTES.entries()) {
      props.httpApi.addProtectedRoute(`Agent${index}`, {
        path: route.path,
        methods: [route.method as HttpMethod],
        handler: this.function.lambdaFunction,
        throttle,
        authorizer: this.authorizer,
        ...(requireScopes ? { authorizationScopes: [route.scope] } : {}),
      });
    }
  }

  /** Alarms on the function; the API's URL, with how to authenticate, as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('AgentApi', this.function.lambdaFunction, 'The agent API');
    stackOutput(this, 'AgentApiUrl', {
      value: this.#httpApiUrl,
      description: this.#signedWithJwt
        ? 'The agent API (GET /conversations, …): send the agent JWT as Authorization: Bearer <token>'
        : 'The agent API (GET /conversations, …): sign requests with SigV4 (IAM auth, execute-api:Invoke)',
    });
  }
}
