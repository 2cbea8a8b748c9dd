import { Aws, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolOperation,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { AGENT_SCOPES, type AgentScope } from '../../functions/adapters/http/agent-routes.ts';
import { ADMIN_GROUP } from '../../functions/core/agent/token-scopes.ts';
import type { InboxSignIn } from '../../web/inbox/app-config.ts';
import { acknowledgeFinding } from '../nag.ts';
import { acknowledgeSynchronousInvocation } from './http-api.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

/** The group whose members' tokens carry the admin scope (merges, settings). */
export const ADMIN_GROUP_NAME = ADMIN_GROUP;

/** What a JWT authorizer (HTTP API routes, the WebSocket `$connect`) checks an agent's token against. */
export interface AgentTokenSettings {
  readonly issuer: string;
  readonly audience: readonly string[];
}

export interface AgentSignInProps {
  /** For the pre token generation function (logs, key). */
  readonly functionDefaults: SupportFunctionDefaults;
  /**
   * The hosted sign-in's domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`),
   * unique per region across AWS.
   * @default `<stack name>-<account id>`, lowercased
   */
  readonly domainPrefix?: string;
  /**
   * One-time codes from an authenticator app (TOTP): offered to every agent, required at every
   * sign-in, or not offered.
   * @default 'optional'
   */
  readonly mfa?: 'optional' | 'required' | 'off';
  /**
   * Cognito threat protection (Plus plan): block risky sign-ins and known-compromised passwords,
   * only record them, or neither (Essentials plan).
   * @default 'enforced'
   */
  readonly threatProtection?: 'enforced' | 'audit' | 'off';
  /**
   * Keep the user pool (the agents' accounts) when it leaves the stack, and refuse to delete it
   * while deletion protection is on.
   * @default true
   */
  readonly retainData?: boolean;
}

/** `switchboard/agent.read` → the resource server `switchboard` and its scope `agent.read`. */
function splitScope(scope: AgentScope): { readonly server: string; readonly name: string } {
  const slash = scope.indexOf('/');
  return { server: scope.slice(0, slash), name: scope.slice(slash + 1) };
}

/**
 * The agents' accounts and sign-in: a Cognito user pool nobody can sign up to (an admin invites
 * each agent), TOTP multi-factor authentication, a strong password policy and threat protection;
 * a resource server with the agent API's scopes (read, write, admin, from the agent route table);
 * the hosted sign-in domain; a pre token generation function that keeps the admin scope to the
 * admins group; and, once the inbox's address is known ({@link bindInbox}), the
 * inbox's public app client (authorization code with PKCE, no secret). Its issuer and client id are
 * what the agent API's JWT authorizer and the WebSocket API's agent authorizer accept.
 */
export class AgentSignIn extends Construct implements Monitored {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly resourceServer: UserPoolResourceServer;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the hosted sign-in and token endpoint. */
  readonly baseUrl: string;
  #inboxClient?: UserPoolClient;
  readonly #scopes: ReadonlyMap<AgentScope, ResourceServerScope>;

  /** Keeps the admin scope only in the tokens of the admins group. */
  readonly tokenScopes: SupportFunction;

  constructor(scope: Construct, id: string, props: AgentSignInProps) {
    super(scope, id);
    const retain = props.retainData ?? true;
    const mfa = props.mfa ?? 'optional';
    const threatProtection = props.threatProtection ?? 'enforced';

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `${Stack.of(this).stackName}-agents`,
      // Agents are invited (admin-create-user); nobody on the internet can make an account.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: mfa === 'required' ? Mfa.REQUIRED : mfa === 'optional' ? Mfa.OPTIONAL : Mfa.OFF,
      ...(mfa === 'off' ? {} : { mfaSecondFactor: { otp: true, sms: false } }),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: threatProtection === 'off' ? FeaturePlan.ESSENTIALS : FeaturePlan.PLUS,
      ...(threatProtection === 'off'
        ? {}
        : {
            standardThreatProtectionMode:
              threatProtection === 'enforced'
                ? StandardThreatProtectionMode.FULL_FUNCTION
                : StandardThreatProtectionMode.AUDIT_ONLY,
          }),
      userInvitation: {
        emailSubject: 'Your switchboard inbox account',
        emailBody:
          'You have been invited to the support inbox. Sign in with {username} and the temporary password {####}; you will choose your own password then.',
      },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (mfa !== 'required') {
      acknowledgeFinding(
        this.userPool,
        'AwsSolutions-COG2',
        mfa === 'optional'
          ? 'MFA is optional by configuration (agents.inbox.userPool.mfa): every agent can turn on an authenticator app, and threat protection asks risky sign-ins for more; set it to "required" to demand it.'
          : 'MFA is switched off by configuration (agents.inbox.userPool.mfa = "off"), the operator\'s choice for this installation; sign-in is still guarded by the password policy.',
      );
    }
    if (threatProtection === 'off') {
      acknowledgeFinding(
        this.userPool,
        'AwsSolutions-COG8',
        'Threat protection is switched off by configuration (agents.inbox.userPool.threatProtection = "off"), so the pool uses the Essentials plan instead of Plus; the operator chose to save its per-user cost.',
      );
    }

    const byServer = new Map<string, AgentScope[]>();
    for (const agentScope of AGENT_SCOPES) {
      const { server } = splitScope(agentScope);
      byServer.set(server, [...(byServer.get(server) ?? []), agentScope]);
    }
    const [[identifier, scopes], ...others] = [...byServer.entries()] as [[string, AgentScope[]]];
    if (others.length > 0) throw new Error('the agent scopes must share one resource server');
    const serverScopes = scopes.map(
      (agentScope) =>
        [
          agentScope,
          new ResourceServerScope({
            scopeName: splitScope(agentScope).name,
            scopeDescription: `switchboard agent API: ${splitScope(agentScope).name}`,
          }),
        ] as const,
    );
    this.#scopes = new Map(serverScopes);
    this.resourceServer = this.userPool.addResourceServer('AgentApi', {
      identifier,
      userPoolResourceServerName: 'switchboard agent API',
      scopes: serverScopes.map(([, s]) => s),
    });

    // Cognito grants a client's scopes to every user alike; the admin scope is for one group.
    this.tokenScopes = new SupportFunction(this, 'TokenScopes', {
      ...props.functionDefaults,
      entry: handlerEntry('agent-token-scopes'),
      description: `Agent sign-in: the admin scope only in tokens of the ${ADMIN_GROUP} group`,
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.tokenScopes.lambdaFunction,
      LambdaVersion.V2_0,
    );
    acknowledgeSynchronousInvocation(this.tokenScopes.lambdaFunction, 'Cognito (pre token generation)');

    new CfnUserPoolGroup(this, 'Admins', {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'Agents who may merge customers and conversations and change settings (switchboard/admin)',
    });

    const prefix = props.domainPrefix ?? `${Stack.of(this).stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`;
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: prefix } });
    // Built from the prefix rather than the domain resource, so a page that names it (the inbox's
    // content security policy) does not depend on the pool.
    this.baseUrl = `https://${prefix}.auth.${Aws.REGION}.amazoncognito.com`;
  }

  /** The issuer agents' tokens carry: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  get issuer(): string {
    return this.userPool.userPoolProviderUrl;
  }

  /**
   * Creates the inbox's app client, with the inbox's address as the only place sign-in may return
   * to. Call once, after the inbox's distribution exists.
   */
  bindInbox(inboxUrl: string): UserPoolClient {
    if (this.#inboxClient) throw new Error('the inbox client exists already');
    const home = `${inboxUrl.replace(/\/+$/, '')}/`;
    this.#inboxClient = this.userPool.addClient('InboxClient', {
      userPoolClientName: 'inbox',
      // A browser app cannot keep a secret: authorization code with PKCE instead.
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [
          OAuthScope.OPENID,
          OAuthScope.EMAIL,
          ...[...this.#scopes.values()].map((s) => OAuthScope.resourceServer(this.resourceServer, s)),
        ],
        callbackUrls: [home],
        logoutUrls: [home],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // About a working day; then the agent signs in again.
      refreshTokenValidity: Duration.hours(12),
    });
    return this.#inboxClient;
  }

  /** The app client made by {@link bindInbox}. */
  get inboxClient(): UserPoolClient {
    if (!this.#inboxClient) throw new Error('bindInbox() has not been called');
    return this.#inboxClient;
  }

  /**
   * Issuer and audience for a JWT authorizer (the agent API, the WebSocket API's agents). Usable
   * before {@link bindInbox}: the audience is the inbox client's id once it exists (synthesis
   * fails if it never does).
   */
  get tokens(): AgentTokenSettings {
    return {
      issuer: this.issuer,
      audience: [Lazy.string({ produce: () => this.inboxClient.userPoolClientId })],
    };
  }

  /** The inbox's `config.json` sign-in section: this pool's hosted sign-in. */
  inboxSignIn(inboxUrl: string): InboxSignIn {
    const home = `${inboxUrl.replace(/\/+$/, '')}/`;
    return {
      kind: 'oauth',
      authorizeUrl: `${this.baseUrl}/oauth2/authorize`,
      tokenUrl: `${this.baseUrl}/oauth2/token`,
      logoutUrl: `${this.baseUrl}/logout`,
      redirectUri: home,
      clientId: this.inboxClient.userPoolClientId,
      scopes: ['openid', 'email', ...AGENT_SCOPES],
    };
  }

  /** How to invite an agent, and the hosted sign-in, as outputs. */
  addMonitoring(_monitoring: Monitoring): void {
    stackOutput(this, 'AgentUserPoolId', {
      value: this.userPool.userPoolId,
      description: `Invite an agent: aws cognito-idp admin-create-user --user-pool-id <this> --username <email> --user-attributes Name=email,Value=<email> Name=email_verified,Value=true; admins: aws cognito-idp admin-add-user-to-group --user-pool-id <this> --username <email> --group-name ${ADMIN_GROUP_NAME}`,
    });
    stackOutput(this, 'AgentSignInUrl', {
      value: this.baseUrl,
      description: 'The hosted sign-in of the agent user pool',
    });
  }
}
