import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DeviceFunction } from './device-function.js';
import { eventVariables, loggingVariables, trustVariables } from './function-environment.js';
import { EXPIRY_CONCURRENCY } from './limits.js';

export interface TrustProps {
  readonly name: string;
  readonly rememberFor: Duration;
  readonly userPool: IUserPool;
  /** Whether the functions write device events (functions/events/event-log.ts). */
  readonly deviceEvents: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
}

/**
 * `rememberFor` in AWS: a schedule group holding one one-time schedule per remembered device, the record of its trust
 * (and one check per user after a sign-in), the role EventBridge Scheduler invokes their targets with, and the two
 * targets. What each role may do:
 * - the trust expiry: read a user (AdminGetUser) and a device (AdminGetDevice) and forget it (AdminForgetDevice) in
 *   this pool; read and delete trust records. It acts only when Cognito's own answers say a device's trust is over
 *   (functions/trust/expiry.ts), one invocation at a time (reserved concurrency {@link EXPIRY_CONCURRENCY}).
 * - the trust check: the same reads, AdminListDevices, forget a device or set it not remembered; read, list, make and
 *   delete trust records. It acts on the one user Cognito knows by the name and `sub` its input gives.
 * - the API functions (`grantScheduling`): make, read by name and delete trust records; never update or list them.
 * - the post-authentication trigger: make checks.
 */
export class Trust extends Construct {
  readonly group: CfnScheduleGroup;
  readonly groupName: string;
  readonly role: Role;
  readonly expiry: LambdaFunction;
  readonly check: LambdaFunction;
  /**
   * The trust check's ARN, formatted from its fixed name rather than read from it: the pool's trigger names it, and
   * the check may list that pool's devices, so a reference would make the pool depend on itself.
   */
  readonly checkArn: string;
  private readonly props: TrustProps;

  constructor(scope: Construct, id: string, props: TrustProps) {
    super(scope, id);
    this.props = props;
    this.groupName = `cognito-device-bff-${props.name}`.slice(0, 64);
    this.group = new CfnScheduleGroup(this, 'Schedules', { name: this.groupName });
    const common = {
      logRetention: props.logRetention,
      timeoutSeconds: 30,
    };
    const base = { ...loggingVariables(props.logLevel), ...eventVariables(props.deviceEvents) };
    this.expiry = new DeviceFunction(this, 'Expiry', {
      handler: 'trust-expiry',
      description: `Cognito device BFF trust expiry (${props.name}): forgets a device whose trust has ended`,
      environment: { ...base, ...this.environment('expiry') },
      reservedConcurrency: EXPIRY_CONCURRENCY,
      ...common,
    }).fn;
    props.userPool.grant(
      this.expiry,
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminGetDevice',
      'cognito-idp:AdminForgetDevice',
    );
    this.grantSchedules(this.expiry, 'trust', ['scheduler:GetSchedule', 'scheduler:DeleteSchedule']);

    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler invokes the trust expiry and trust check functions with it',
    });
    const checkName = `cdbff-${props.name}-trust-check`.slice(0, 64);
    this.checkArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: checkName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Its input names the pool (the trigger's event does): no pool id in its settings, for the same reason.
    this.check = new DeviceFunction(this, 'Check', {
      handler: 'trust-check',
      functionName: checkName,
      description: `Cognito device BFF trust check (${props.name}): starts the trust of devices remembered elsewhere`,
      environment: { ...base, ...this.environment('check') },
      ...common,
    }).fn;
    props.userPool.grant(
      this.check,
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminListDevices',
      'cognito-idp:AdminForgetDevice',
      'cognito-idp:AdminUpdateDeviceStatus',
    );
    this.grantScheduling(this.check, 'trust', [
      'scheduler:CreateSchedule',
      'scheduler:GetSchedule',
      'scheduler:DeleteSchedule',
    ]);
    // Only the check lists a user's records (to delete those of devices that are gone); ListSchedules takes no resource.
    this.check.addToRolePolicy(
      new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }),
    );
    Validations.of(this.check.role ?? this.check).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ListSchedules takes no resource (Service Authorization Reference); only the trust check may call it.',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.expiry.functionArn, this.checkArn],
      }),
    );
  }

  /**
   * What a function that makes schedules needs to know: the API's functions make trust schedules; the trust check
   * too, for the pool its input names; the pool's trigger makes checks, and may not name the pool (its event does).
   */
  environment(role: 'api' | 'check' | 'trigger' | 'expiry'): Record<string, string> {
    return trustVariables({
      rememberForSeconds: this.props.rememberFor.toSeconds(),
      group: this.groupName,
      ...(role !== 'expiry' && { roleArn: this.role.roleArn }),
      ...((role === 'api' || role === 'check') && { expiryArn: this.expiry.functionArn }),
      ...(role === 'trigger' && { checkArn: this.checkArn }),
    });
  }

  /**
   * Lets `fn` make schedules of one kind in this group (and whatever else of them `actions` says), and hand the
   * scheduler its role; nothing else of EventBridge Scheduler.
   */
  grantScheduling(
    fn: LambdaFunction,
    kind: 'trust' | 'check',
    actions: readonly string[] = ['scheduler:CreateSchedule'],
  ): void {
    this.grantSchedules(fn, kind, actions);
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['iam:PassRole'],
      resourceArns: [this.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  }

  /** Lets `fn` act on the schedules of one kind in this group, by name; alone, it cannot make any (no role to pass). */
  private grantSchedules(fn: LambdaFunction, kind: 'trust' | 'check', actions: readonly string[]): void {
    Grant.addToPrincipal({
      grantee: fn,
      actions: [...actions],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'scheduler',
          resource: 'schedule',
          resourceName: `${this.groupName}/${kind}-*`,
        }),
      ],
    });
    this.acknowledgeNames(fn, kind);
  }

  private acknowledgeNames(fn: LambdaFunction, kind: 'trust' | 'check'): void {
    const stack = Stack.of(this);
    // cdk-nag names a finding by the resource as the template has it: pseudo parameters as <AWS::…>.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    Validations.of(fn.role ?? fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${shown(stack.partition, 'Partition')}:scheduler:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}:schedule/${this.groupName}/${kind}-*]`,
      reason:
        'Schedules are made per device or user at run time: their names, not their number, are known (trust-*/check-* in this group).',
    });
  }
}

/** The shortest trust: EventBridge Scheduler fires a one-time schedule within its minute. */
export const MIN_REMEMBER_FOR = Duration.minutes(1);
