import { RetryableError } from '../../core/errors.ts';
import type { ConnectContactDetails, ConnectContacts } from '../../core/ports/voice.ts';
import type { ConnectClientSource } from './on-demand-tasks.ts';

/**
 * DescribeContact on the configured instance, for contact events whose caller we never saw. The
 * command comes from the on-demand Connect module: a static import here would put Connect's SDK
 * on the cold path of every function whose wiring names this class (wiring.ts is shared). The
 * client may be built on the first describe too: most contact events come from callers the
 * lookup already remembered, and never need Connect.
 */
export class ConnectApiContacts implements ConnectContacts {
  constructor(
    private readonly connect: ConnectClientSource,
    private readonly instanceId: string,
  ) {}

  async describe(contactId: string): Promise<ConnectContactDetails | undefined> {
    const { DescribeContactCommand } = await import('./connect-tasks-module.ts');
    const connect = typeof this.connect === 'function' ? await this.connect() : this.connect;
    try {
      const { Contact } = await connect.send(
        new DescribeContactCommand({ InstanceId: this.instanceId, ContactId: contactId }),
      );
      if (!Contact) return undefined;
      return {
        contactId,
        ...(Contact.CustomerEndpoint?.Address ? { customerPhone: Contact.CustomerEndpoint.Address } : {}),
        ...(Contact.Channel ? { channel: Contact.Channel } : {}),
        ...(Contact.InitiationMethod ? { initiationMethod: Contact.InitiationMethod } : {}),
      };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      // Connect keeps contacts for 24 months; an id it does not know is an answer, not a failure.
      if (name === 'ResourceNotFoundException') return undefined;
      if (name === 'ThrottlingException' || name === 'InternalServiceException') {
        throw new RetryableError(`DescribeContact failed: ${name}`, { cause: error });
      }
      throw error;
    }
  }
}
