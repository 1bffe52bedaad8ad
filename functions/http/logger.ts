/**
 * The logging port the HTTP layer needs. Powertools' Logger satisfies it in production; tests pass a
 * recording fake. Callers pass identifiers and codes only: never tokens, verifiers or request bodies.
 */
export interface Log {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}
