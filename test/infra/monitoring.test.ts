import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleConfig, META_SECTION, synthesizeSwitchboard } from './synth.ts';

/** Every part that can be deployed, so every construct's addMonitoring runs. */
const EVERY_PART = {
  alarmEmail: 'ops@example.com',
  shop: {},
  agents: {
    inbox: {
      domainName: 'inbox.shop.example',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    },
  },
  connect: {
    instanceArn: 'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de',
  },
  sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef', ownNumbers: ['+908501234567'] },
  meta: META_SECTION,
  chat: {},
  help: { baseUrl: 'https://help.shop.example' },
};

/** The alarm names of a template: logical ids without CDK's hash suffix. */
const alarmNames = (template: Template) =>
  Object.keys(template.findResources('AWS::CloudWatch::Alarm'))
    .map((id) => id.replace(/^Observability/, '').replace(/[0-9A-F]{8}$/, ''))
    .sort();

const outputNames = (template: Template) => Object.keys(template.toJSON().Outputs ?? {}).sort();

describe('alarms and outputs, each declared by the construct it is about', () => {
  let every: Template;
  let example: Template;

  beforeAll(() => {
    // Prepare / Act
    every = synthesizeSwitchboard({ config: { ...exampleConfig(), ...EVERY_PART } }).template;
    example = synthesizeSwitchboard().template;
  });

  it('alarm on every function and dead-letter queue of every part, named as before', () => {
    // Assess
    expect(alarmNames(every)).toEqual(
      [
        'AgentApiErrors',
        'AgentApiThrottles',
        'AutoResponseBudgetExceeded',
        'ChannelCountersDeadLetters',
        'ChannelCountersErrors',
        'ChannelCountersThrottles',
        'ChatAuthorizerErrors',
        'ChatAuthorizerThrottles',
        'ChatConfirmErrors',
        'ChatConfirmThrottles',
        'ChatWebSocketErrors',
        'ChatWebSocketThrottles',
        'DeferredSendsDeadLetters',
        'DispatcherErrors',
        'DispatcherThrottles',
        'FirstResponseBreaches',
        'HelpFeedbackErrors',
        'HelpFeedbackThrottles',
        'InboundEmailDeadLetters',
        'InboundEmailErrors',
        'InboundEmailThrottles',
        'InboundSmsDeadLetters',
        'InboundSmsErrors',
        'InboundSmsThrottles',
        'LiveUpdatesDeadLetters',
        'LiveUpdatesErrors',
        'LiveUpdatesThrottles',
        'MetaWebhookErrors',
        'MetaWebhookThrottles',
        'OrderEventsErrors',
        'OrderEventsThrottles',
        'OutboundDeadLetters',
        'ReminderSchedulesDeadLetters',
        'RemindersErrors',
        'RemindersThrottles',
        'SocialInboundDeadLetters',
        'SocialInboundErrors',
        'SocialInboundThrottles',
        'UndeliveredAlarmMailDeadLetters',
        'VoiceEventsDeadLetters',
        'VoiceEventsErrors',
        'VoiceEventsThrottles',
        'VoiceLookupErrors',
        'VoiceLookupThrottles',
      ].sort(),
    );
    expect(alarmNames(example)).toEqual(
      [
        'AutoResponseBudgetExceeded',
        'ChannelCountersDeadLetters',
        'ChannelCountersErrors',
        'ChannelCountersThrottles',
        'DeferredSendsDeadLetters',
        'DispatcherErrors',
        'DispatcherThrottles',
        'FirstResponseBreaches',
        'InboundEmailDeadLetters',
        'InboundEmailErrors',
        'InboundEmailThrottles',
        'OutboundDeadLetters',
      ].sort(),
    );
  });

  it('output what a shop needs from every part at the top of the stack, under stable names', () => {
    // Assess
    expect(outputNames(every)).toEqual(
      [
        'AgentApiUrl',
        'AgentSignInUrl',
        'AgentUserPoolId',
        'AgentWebSocketUrl',
        'AlarmTopicArn',
        'ConversationTableName',
        'DkimRecord1',
        'DkimRecord2',
        'DkimRecord3',
        'HelpCenterUrl',
        'HttpApiUrl',
        'InboundSmsTopicArn',
        'InboxDistributionDomainName',
        'InboxUrl',
        'MailBucketName',
        'MetaAccessTokenSecretArn',
        'MetaAppSecretSecretArn',
        'MetaVerifyTokenSecretArn',
        'MetaWebhookUrl',
        'MxRecord',
        'OrderEventsUrl',
        'OutboundQueueUrl',
        'ReceiptRuleSetName',
        'RemindersUrl',
        'ShopSecretArn',
        'VoiceLookupFunctionArn',
      ].sort(),
    );
    expect(outputNames(example)).toEqual(
      [
        'AlarmTopicArn',
        'ConversationTableName',
        'DkimRecord1',
        'DkimRecord2',
        'DkimRecord3',
        'MailBucketName',
        'MxRecord',
        'OutboundQueueUrl',
        'ReceiptRuleSetName',
      ].sort(),
    );
  });

  it('graph every alarmed function and dead-letter queue on the dashboard', () => {
    // Assess
    const [dashboard] = Object.values(every.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties?.DashboardBody);
    const alarmed = alarmNames(every)
      .filter((name) => /(Errors|DeadLetters)$/.test(name))
      .map((name) => name.replace(/(Errors|DeadLetters)$/, ''));
    for (const label of new Set(alarmed)) expect(body, label).toContain(`\\"label\\":\\"${label}\\"`);
  });
});

describe("the WebSocket functions' alarms, by what connects to them", () => {
  /** The alarms of the WebSocket API's functions, the chat's and the live updates'. */
  const socketAlarms = (template: Template) =>
    alarmNames(template).filter((name) => /^(Chat|AgentSockets|LiveUpdates)/.test(name));
  let chatOnly: Template;
  let agentsOnly: Template;

  beforeAll(() => {
    // Prepare / Act
    chatOnly = synthesizeSwitchboard({ config: { ...exampleConfig(), chat: {} } }).template;
    agentsOnly = synthesizeSwitchboard({
      config: {
        ...exampleConfig(),
        agents: {
          jwt: {
            issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Example1',
            audience: ['agent-app-client'],
          },
        },
      },
    }).template;
  });

  it('alarm on the chat authorizer, routes and confirmation where only the chat is deployed', () => {
    // Assess
    expect(socketAlarms(chatOnly)).toEqual(
      [
        'ChatAuthorizerErrors',
        'ChatAuthorizerThrottles',
        'ChatConfirmErrors',
        'ChatConfirmThrottles',
        'ChatWebSocketErrors',
        'ChatWebSocketThrottles',
      ].sort(),
    );
  });

  it("alarm on the agents' socket authorizer, routes and live updates where only agents are deployed", () => {
    // Assess
    expect(socketAlarms(agentsOnly)).toEqual(
      [
        'AgentSocketsAuthorizerErrors',
        'AgentSocketsAuthorizerThrottles',
        'AgentSocketsErrors',
        'AgentSocketsThrottles',
        'LiveUpdatesDeadLetters',
        'LiveUpdatesErrors',
        'LiveUpdatesThrottles',
      ].sort(),
    );
  });

  it("graph the agents' socket functions on the dashboard where only agents are deployed", () => {
    // Assess
    const [dashboard] = Object.values(agentsOnly.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties?.DashboardBody);
    for (const label of ['AgentSocketsAuthorizer', 'AgentSockets', 'LiveUpdates'])
      expect(body, label).toContain(`\\"label\\":\\"${label}\\"`);
  });
});
