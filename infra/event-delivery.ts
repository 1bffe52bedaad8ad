import { Duration, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, type RetentionDays, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_LINE_PATTERN } from '../functions/events/event-log.js';
import { DeviceFunction } from './device-function.js';
import { deliveryVariables, loggingVariables } from './function-environment.js';

/** The delivery's timeout: three tries of a put (3 s each, with pauses), then the retry queue. */
export const DELIVERY_TIMEOUT_SECONDS = 20;
/**
 * How long a message the delivery could not put waits before it is tried again: six times the function's timeout,
 * as Lambda's developer guide asks of a queue an SQS event source reads ("Configuring a queue to use with Lambda").
 */
export const RETRY_VISIBILITY_SECONDS = 6 * DELIVERY_TIMEOUT_SECONDS;
/** Tries from the retry queue before its dead-letter queue: 360 two minutes apart, 12 hours of EventBridge down. */
export const RETRY_RECEIVES = 360;

export interface EventDeliveryProps {
  readonly name: string;
  readonly bus: IEventBus;
  /** The pool whose devices the events name: the delivery reads a name the change did not (AdminGetDevice). */
  readonly userPool: IUserPool;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
}

/**
 * Device events off the request path (functions/events/delivery.ts): the functions write each event as a line of
 * their output, a subscription filter on each one's log group hands those lines to the delivery function, which names
 * the devices a change did not (AdminGetDevice) and puts them on the bus. What EventBridge does not take goes to the retry queue, which the same function drains (an SQS
 * event source, reporting each event it still cannot put) for 12 hours, then to a dead-letter queue kept 14 days,
 * whose `EventsDeadLettered` alarm fires at one message. A delivery that fails outright (the retry queue unreachable)
 * is retried twice by Lambda, then its invocation record, which holds the lines, goes to the retry queue too.
 */
export class EventDelivery extends Construct {
  readonly function: LambdaFunction;
  readonly retryQueue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventDeliveryProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.retryQueue = new Queue(this, 'Retries', {
      visibilityTimeout: Duration.seconds(RETRY_VISIBILITY_SECONDS),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: RETRY_RECEIVES },
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This is the dead-letter queue of the events retry queue; the EventsDeadLettered alarm watches it.',
    });
    this.function = new DeviceFunction(this, 'Function', {
      handler: 'event-delivery',
      description: `Cognito device BFF event delivery (${props.name}): puts the functions' device events on the bus`,
      environment: {
        ...loggingVariables(props.logLevel),
        ...deliveryVariables({
          busName: props.bus.eventBusName,
          retryQueueUrl: this.retryQueue.queueUrl,
          userPoolId: props.userPool.userPoolId,
        }),
      },
      logRetention: props.logRetention,
      timeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
    }).fn;
    props.bus.grantPutEventsTo(this.function);
    // Names the device of an event whose change did not read it (remembered, no longer remembered): a read, on this
    // pool, of a device the event's own function changed a moment before.
    props.userPool.grant(this.function, 'cognito-idp:AdminGetDevice');
    this.retryQueue.grantSendMessages(this.function);
    // CloudWatch Logs invokes the delivery asynchronously: a failure is retried twice, then kept in the retry queue.
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.retryQueue),
    });
    this.function.addEventSource(
      new SqsEventSource(this.retryQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Two at a time at most: a backlog drains steadily, without a burst on the bus or the account.
        maxConcurrency: 2,
      }),
    );
  }

  /** Hands the device events `fn` writes to the delivery (a subscription filter on its log group). */
  subscribe(fn: LambdaFunction): void {
    new SubscriptionFilter(fn, 'DeviceEvents', {
      logGroup: fn.logGroup,
      destination: new LambdaDestination(this.function),
      filterPattern: FilterPattern.literal(EVENT_LINE_PATTERN),
      filterName: 'device-events',
    });
  }
}
