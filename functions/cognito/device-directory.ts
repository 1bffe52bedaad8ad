import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  DeviceKeyExistsException,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GlobalSignOutCommand,
  ListDevicesCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Device, DevicePage, DeviceStatus } from '../devices/device.js';
import type { DeviceDirectory, DeviceOwner } from '../devices/directory.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { cognitoCall } from './call.js';
import { malformed, toDevice } from './device-type.js';
import { ALREADY_CONFIRMED, type DeviceOperation } from './error-map.js';

/** The stage's full device view: the admin calls name this pool and the verified caller's username. */
export interface FullDeviceView {
  readonly userPoolId: string;
}

/**
 * The Cognito adapter of {@link DeviceDirectory}: the only module that knows SDK shapes.
 *
 * Without the full view, every call is token-authorized and reaches remembered devices only (real Cognito's
 * token API hides the others). With it, `get`, `list` and `forget` also reach devices the user did not
 * remember, through AdminGetDevice/AdminListDevices/AdminForgetDevice for the token's own username. Admin
 * calls do not check the access token, so each is paired with a token call that does (a revoked token still
 * passes aws-jwt-verify until it expires; only Cognito knows it was revoked): {@link withTokenCheck}.
 */
export class CognitoDeviceDirectory implements DeviceDirectory {
  private constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly callBudgetMs: number,
    private readonly fullView: FullDeviceView | undefined,
  ) {}

  /**
   * @param client the process-wide Cognito client (bounded retries and attempt timeout configured there)
   * @param callBudgetMs hard limit for one call including retries, so a slow Cognito ends as 504 well
   *   before the Lambda timeout instead of a timed-out invocation
   * @param fullView set when the stage shows every device (`fullDeviceView`), not only remembered ones
   */
  static create(
    client: CognitoIdentityProviderClient,
    callBudgetMs: number,
    fullView?: FullDeviceView,
  ): CognitoDeviceDirectory {
    return new CognitoDeviceDirectory(client, callBudgetMs, fullView);
  }

  async confirm(
    owner: DeviceOwner,
    request: Parameters<DeviceDirectory['confirm']>[1],
  ): Promise<{ userConfirmationNecessary: boolean }> {
    await this.refuseIfConfirmed(owner, request.deviceKey);
    const output = await this.call(
      'ConfirmDevice',
      owner,
      (options) =>
        this.client.send(
          new ConfirmDeviceCommand({
            AccessToken: owner.accessToken,
            DeviceKey: request.deviceKey,
            DeviceName: request.deviceName,
            DeviceSecretVerifierConfig: request.verifier && {
              PasswordVerifier: request.verifier.passwordVerifier,
              Salt: request.verifier.salt,
            },
          }),
          options,
        ),
      // An earlier attempt confirmed it and its answer was lost: the device is remembered (visible) unless
      // the pool leaves that to the user, which is exactly what UserConfirmationNecessary would have said.
      (error) =>
        error instanceof DeviceKeyExistsException && retried(error)
          ? this.tokenGet(owner, request.deviceKey).then(
              () => ({ UserConfirmationNecessary: false }),
              (notFound: unknown) => {
                if (notFound instanceof NotFoundError) return { UserConfirmationNecessary: true };
                throw notFound;
              },
            )
          : undefined,
    );
    return { userConfirmationNecessary: output.UserConfirmationNecessary ?? false };
  }

  /**
   * Never replaces a device's secret: a device that is confirmed already (by the app's sign-in library, which
   * proves that secret at every sign-in) is refused before ConfirmDevice is sent, whatever Cognito would do with a
   * second ConfirmDevice (no public record says). GetDevice sees a remembered device; one that is not remembered is
   * seen by UpdateDeviceStatus, which accepts confirmed devices only and, set to `not_remembered`, leaves such a
   * device as it is. A device issued at sign-in and not yet confirmed is "Device does not exist." to both.
   */
  private async refuseIfConfirmed(owner: DeviceOwner, deviceKey: string): Promise<void> {
    // "Device does not exist." is the answer expected of a new device: taken as false where it is caught, never made
    // into an API error (two fewer errors, with their stacks, on every confirmation).
    const absent = (error: unknown) =>
      error instanceof ResourceNotFoundException ? Promise.resolve(false) : undefined;
    const confirmed =
      (await this.call(
        'GetDevice',
        owner,
        (options) =>
          this.client
            .send(new GetDeviceCommand({ AccessToken: owner.accessToken, DeviceKey: deviceKey }), options)
            .then(() => true),
        absent,
      )) ||
      (await this.call(
        'UpdateDeviceStatus',
        owner,
        (options) =>
          this.client
            .send(
              new UpdateDeviceStatusCommand({
                AccessToken: owner.accessToken,
                DeviceKey: deviceKey,
                DeviceRememberedStatus: 'not_remembered',
              }),
              options,
            )
            .then(() => true),
        absent,
      ));
    if (confirmed) throw new ConflictError({ code: 'device_key_exists', detail: ALREADY_CONFIRMED });
  }

  /** Token-authorized: real Cognito's UpdateDeviceStatus works on devices that are not remembered too. */
  async setStatus(owner: DeviceOwner, deviceKey: string, status: DeviceStatus): Promise<void> {
    await this.tokenSetStatus(owner, deviceKey, status);
  }

  async get(owner: DeviceOwner, deviceKey: string): Promise<Device> {
    const { fullView } = this;
    if (!fullView) return this.tokenGet(owner, deviceKey);
    try {
      return await this.tokenGet(owner, deviceKey);
    } catch (error) {
      // Not visible to the token API: maybe a device that is not remembered.
      if (!(error instanceof NotFoundError)) throw error;
    }
    const device = await this.withTokenCheck(owner, () =>
      this.call('AdminGetDevice', owner, (options) =>
        this.client.send(
          new AdminGetDeviceCommand({
            UserPoolId: fullView.userPoolId,
            Username: owner.username,
            DeviceKey: deviceKey,
          }),
          options,
        ),
      ),
    );
    if (!device.Device) throw malformed('AdminGetDevice returned no Device');
    return toDevice(device.Device, false);
  }

  async list(owner: DeviceOwner, page: Parameters<DeviceDirectory['list']>[1]): Promise<DevicePage> {
    const { fullView } = this;
    if (!fullView) return this.tokenList(owner, page);
    const output = await this.withTokenCheck(owner, () =>
      this.call('AdminListDevices', owner, (options) =>
        this.client.send(
          new AdminListDevicesCommand({
            UserPoolId: fullView.userPoolId,
            Username: owner.username,
            Limit: page.limit,
            PaginationToken: page.pageToken,
          }),
          options,
        ),
      ),
    );
    return {
      devices: (output.Devices ?? []).map((d) => toDevice(d, false)),
      nextPageToken: output.PaginationToken ?? null,
    };
  }

  /**
   * @param known what a listing said of the device: with the full view, a device listed as `not_remembered`
   *   goes straight to the token check and AdminForgetDevice, one write instead of two
   */
  async forget(
    owner: DeviceOwner,
    deviceKey: string,
    known?: { status: DeviceStatus | null },
  ): Promise<void> {
    const { fullView } = this;
    if (!(fullView && known?.status === 'not_remembered')) {
      try {
        await this.tokenForget(owner, deviceKey);
        return;
      } catch (error) {
        // Not visible to the token API: maybe a device that is not remembered.
        if (!(fullView && error instanceof NotFoundError)) throw error;
      }
    }
    // Nothing is forgotten for a token Cognito refuses: the check comes first, not alongside.
    await this.checkToken(owner);
    await this.call(
      'AdminForgetDevice',
      owner,
      (options) =>
        this.client.send(
          new AdminForgetDeviceCommand({
            UserPoolId: fullView.userPoolId,
            Username: owner.username,
            DeviceKey: deviceKey,
          }),
          options,
        ),
      (error) =>
        error instanceof ResourceNotFoundException && retried(error) ? Promise.resolve({}) : undefined,
    );
  }

  /** Token-authorized GlobalSignOut: no IAM, and it can only ever sign out the token's own user. */
  async signOutEverywhere(owner: DeviceOwner): Promise<void> {
    await this.call(
      'GlobalSignOut',
      owner,
      (options) => this.client.send(new GlobalSignOutCommand({ AccessToken: owner.accessToken }), options),
      // An earlier attempt signed out and its answer was lost: that also revoked this very token, so the retry
      // is refused. The sign-out asked for has happened.
      (error) =>
        error instanceof NotAuthorizedException && retried(error) ? Promise.resolve({}) : undefined,
    );
  }

  /**
   * Has Cognito check the access token with a one-device token ListDevices: admin calls never look at the
   * token, and a revoked one still passes aws-jwt-verify. A token call's "not found" is not taken as that
   * check: no public record says Cognito checks the token before it looks for the device.
   */
  private async checkToken(owner: DeviceOwner): Promise<void> {
    await this.tokenList(owner, { limit: 1 });
  }

  /** Runs an admin read alongside {@link checkToken}; the token's refusal wins over the admin answer. */
  private async withTokenCheck<T>(owner: DeviceOwner, admin: () => Promise<T>): Promise<T> {
    const [check, result] = await Promise.allSettled([this.checkToken(owner), admin()]);
    if (check.status === 'rejected') throw check.reason;
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }

  private async tokenGet(owner: DeviceOwner, deviceKey: string): Promise<Device> {
    const output = await this.call('GetDevice', owner, (options) =>
      this.client.send(
        new GetDeviceCommand({ AccessToken: owner.accessToken, DeviceKey: deviceKey }),
        options,
      ),
    );
    if (!output.Device) throw malformed('GetDevice returned no Device');
    return toDevice(output.Device, true);
  }

  private async tokenSetStatus(owner: DeviceOwner, deviceKey: string, status: DeviceStatus): Promise<void> {
    await this.call('UpdateDeviceStatus', owner, (options) =>
      this.client.send(
        new UpdateDeviceStatusCommand({
          AccessToken: owner.accessToken,
          DeviceKey: deviceKey,
          DeviceRememberedStatus: status,
        }),
        options,
      ),
    );
  }

  private async tokenList(
    owner: DeviceOwner,
    page: Parameters<DeviceDirectory['list']>[1],
  ): Promise<DevicePage> {
    const output = await this.call('ListDevices', owner, (options) =>
      this.client.send(
        new ListDevicesCommand({
          AccessToken: owner.accessToken,
          Limit: page.limit,
          PaginationToken: page.pageToken,
        }),
        options,
      ),
    );
    return {
      devices: (output.Devices ?? []).map((d) => toDevice(d, true)),
      nextPageToken: output.PaginationToken ?? null,
    };
  }

  private async tokenForget(owner: DeviceOwner, deviceKey: string): Promise<void> {
    await this.call(
      'ForgetDevice',
      owner,
      (options) =>
        this.client.send(
          new ForgetDeviceCommand({ AccessToken: owner.accessToken, DeviceKey: deviceKey }),
          options,
        ),
      // An earlier attempt forgot it and its answer was lost: the device is gone, as asked.
      (error) =>
        error instanceof ResourceNotFoundException && retried(error) ? Promise.resolve({}) : undefined,
    );
  }

  /**
   * Runs one SDK call under the call budget, and stops it when the request's own signal fires (the answer was
   * given: Middy's early timeout), then translates its failure; `send`'s own overloads keep the types.
   * @param recover for writes the SDK may retry after a lost answer: the outcome when the failure only shows
   *   that an earlier attempt already did the work, else undefined
   */
  private call<T, R = T>(
    operation: DeviceOperation,
    owner: DeviceOwner,
    send: (options: { abortSignal: AbortSignal }) => Promise<T>,
    recover?: (error: unknown) => Promise<R> | undefined,
  ): Promise<T | R> {
    return cognitoCall(this.callBudgetMs, operation, owner, send, recover);
  }
}

/** The SDK made more than one attempt, so an earlier one may have reached Cognito and done the work. */
function retried(error: unknown): boolean {
  return ((error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
}
