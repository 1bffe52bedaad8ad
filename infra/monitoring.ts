import { Alarm, ComparisonOperator, Dashboard, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmTopic } from './monitoring/alarm-topic.js';
import { alarmSpecs } from './monitoring/alarms.js';
import { dashboardWidgets } from './monitoring/dashboard.js';
import { type WatchedParts, watchedMetrics } from './monitoring/metrics.js';

export { AlarmThresholds } from './monitoring/alarms.js';

export interface MonitoringProps extends WatchedParts {
  readonly stageName: string;
  /** Where alarms go; absent: a new topic, encrypted with a new key CloudWatch may use. */
  readonly topic?: ITopic;
}

/** Alarms (to an SNS topic ops subscribe to) and a dashboard over the API, the functions and our EMF metrics. */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = props.topic ?? alarmTopic(this, props.stageName);
    const metrics = watchedMetrics(props);
    this.alarms = alarmSpecs(metrics).map((spec) => {
      const alarm = new Alarm(this, spec.id, {
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        evaluationPeriods: spec.periods,
        datapointsToAlarm: spec.periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
      return alarm;
    });
    new Dashboard(this, 'Dashboard', {
      dashboardName: `cognito-device-bff-${props.stageName}`,
      widgets: dashboardWidgets(metrics),
    });
  }
}
