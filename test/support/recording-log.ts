import type { Log, RequestMetrics, RequestOutcome } from '../../functions/observability.js';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

/** Captures log entries; `text()` serializes them the way a JSON logger would, errors included. */
export class RecordingLog implements Log {
  readonly entries: LogEntry[] = [];
  info(message: string, extra: Record<string, unknown>) {
    this.entries.push({ level: 'info', message, extra });
  }
  warn(message: string, extra: Record<string, unknown>) {
    this.entries.push({ level: 'warn', message, extra });
  }
  error(message: string, extra: Record<string, unknown>) {
    this.entries.push({ level: 'error', message, extra });
  }
  text(): string {
    return JSON.stringify(this.entries, (_key, value: unknown) =>
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack, cause: value.cause }
        : value,
    );
  }
}

/** Captures what the handlers report to metrics. */
export class RecordingMetrics implements RequestMetrics {
  readonly outcomes: RequestOutcome[] = [];
  record(outcome: RequestOutcome) {
    this.outcomes.push(outcome);
  }
}
