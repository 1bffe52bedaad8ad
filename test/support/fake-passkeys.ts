import type { DeviceOwner } from '../../functions/devices/directory.js';
import { ConflictError, NotFoundError } from '../../functions/errors.js';
import type { Passkey, PasskeyDirectory } from '../../functions/passkeys/passkey.js';

/** An in-memory PasskeyDirectory, per user, with Cognito's answers to the cases the routes map. */
export class FakePasskeyDirectory implements PasskeyDirectory {
  readonly byUser = new Map<string, Passkey[]>();
  private readonly started = new Set<string>();
  readonly calls: string[] = [];

  async list(owner: DeviceOwner): Promise<Passkey[]> {
    this.calls.push('list');
    return [...(this.byUser.get(owner.username) ?? [])];
  }

  async remove(owner: DeviceOwner, credentialId: string): Promise<void> {
    this.calls.push('remove');
    const kept = (this.byUser.get(owner.username) ?? []).filter((p) => p.credentialId !== credentialId);
    if (kept.length === (this.byUser.get(owner.username) ?? []).length)
      throw new NotFoundError({ code: 'passkey_not_found', detail: 'This user has no such passkey' });
    this.byUser.set(owner.username, kept);
  }

  async startRegistration(owner: DeviceOwner): Promise<Record<string, unknown>> {
    this.calls.push('startRegistration');
    this.started.add(owner.username);
    return { challenge: 'Y2hhbGxlbmdl', rp: { id: 'localhost', name: 'localhost' } };
  }

  async completeRegistration(owner: DeviceOwner, credential: Record<string, unknown>): Promise<void> {
    this.calls.push('completeRegistration');
    if (!this.started.delete(owner.username))
      throw new ConflictError({
        code: 'passkey_registration_expired',
        detail: 'No registration in progress',
      });
    this.byUser.set(owner.username, [
      ...(this.byUser.get(owner.username) ?? []),
      {
        credentialId: String(credential.id),
        name: 'Passkey',
        relyingPartyId: 'localhost',
        authenticatorAttachment: 'platform',
        transports: ['internal'],
        createdAt: new Date(0).toISOString(),
      },
    ]);
  }
}
