import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { metaSenders, metaSettingsFromEnvironment } from '../../../functions/adapters/meta/meta-settings.ts';
import { accessTokenFor, SecretsManagerMetaSecrets } from '../../../functions/adapters/meta/secrets.ts';
import { GRAPH_API_VERSION } from '../../../functions/channels/meta/graph-api.ts';
import { ConfigurationError } from '../../../functions/core/errors.ts';

const secretsManager = mockClient(SecretsManagerClient);

afterEach(() => {
  secretsManager.reset();
});

describe('metaSettingsFromEnvironment', () => {
  it('is absent when no Meta secret is configured (an email-only deployment)', () => {
    // Act / Assess
    expect(metaSettingsFromEnvironment({})).toBeUndefined();
    expect(metaSenders(undefined)).toEqual({});
  });

  it('reads the Graph settings with defaults, and gives one Graph sender to all three channels', () => {
    // Act
    const settings = metaSettingsFromEnvironment({
      META_ACCESS_TOKEN_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:token',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    });
    const senders = metaSenders(settings);

    // Assess
    expect(settings?.graph).toEqual({
      baseUrl: 'https://graph.facebook.com',
      apiVersion: GRAPH_API_VERSION,
      whatsappPhoneNumberId: '106540352242922',
    });
    expect(Object.keys(senders).sort()).toEqual(['instagram', 'messenger', 'whatsapp']);
    expect(senders.whatsapp).toBe(senders.messenger);
  });

  it('refuses a Graph base URL that is not http(s)', () => {
    // Act / Assess
    expect(() =>
      metaSettingsFromEnvironment({
        META_APP_SECRET_ARN: 'arn:x',
        META_GRAPH_BASE_URL: 'graph.facebook.com',
      }),
    ).toThrow(ConfigurationError);
  });
});

describe('SecretsManagerMetaSecrets', () => {
  it('reads a secret once and serves it from the cache afterwards', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: ' app-secret-value \n' });
    const secrets = new SecretsManagerMetaSecrets({
      appSecret: 'arn:aws:secretsmanager:eu-central-1:1:secret:app-cache',
    });

    // Act
    const first = await secrets.get('appSecret');
    const second = await secrets.get('appSecret');

    // Assess
    expect([first, second]).toEqual(['app-secret-value', 'app-secret-value']);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('says which secret is missing or empty', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '   ' });
    const secrets = new SecretsManagerMetaSecrets({
      verifyToken: 'arn:aws:secretsmanager:eu-central-1:1:secret:empty',
    });

    // Act / Assess
    await expect(secrets.get('verifyToken')).rejects.toThrow(/verifyToken secret is empty/);
    await expect(secrets.get('accessToken')).rejects.toThrow(
      /no secret is configured for the Meta accessToken/,
    );
  });
});

describe('accessTokenFor', () => {
  it('uses a plain token for every channel and picks from JSON per channel', () => {
    // Act / Assess
    expect(accessTokenFor('EAAplain', 'instagram')).toBe('EAAplain');
    const json = JSON.stringify({ whatsapp: 'EAAwa', page: 'EAApage' });
    expect(accessTokenFor(json, 'whatsapp')).toBe('EAAwa');
    expect(accessTokenFor(json, 'messenger')).toBe('EAApage');
    expect(accessTokenFor(json, 'instagram')).toBe('EAApage');
    expect(() => accessTokenFor(JSON.stringify({ page: 'x' }), 'whatsapp')).toThrow(/no token for whatsapp/);
  });
});
