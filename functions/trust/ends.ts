/**
 * When a remembered device's trust ends (`rememberFor`), as one rule every part applies: the API's answers, the
 * check after a sign-in, and the expiry that retires the device.
 *
 * The trust of a device starts once, when it is first seen remembered (remembered through the API, or found so by a
 * list or a check), and is written down then as the creation of its schedule, which nobody can move: remembering it
 * again, or stopping and starting again, never starts a new period. It starts no later than the device's own last
 * change at Cognito (`DeviceLastModifiedDate`), so a device remembered long before this API saw it is not trusted
 * for a new period either. When it ends, the device is forgotten (see the docs/features.md, "Remembered for a limited time").
 */

/** How many devices one user may have remembered, when trust ends: each is a schedule that fires. */
export const MAX_TRUSTED_DEVICES = 20;

/**
 * The end of trust of a device: `rememberFor` after the earlier of the schedule's creation (when trust was written
 * down) and the device's last change at Cognito.
 */
export function trustEnd(
  rememberForSeconds: number,
  recordedAt: number | undefined,
  deviceLastModifiedAt: string | null | undefined,
): Date {
  const lastModified = deviceLastModifiedAt ? Date.parse(deviceLastModifiedAt) : Number.NaN;
  const starts = [recordedAt, Number.isNaN(lastModified) ? undefined : lastModified].filter(
    (t): t is number => t !== undefined,
  );
  const start = starts.length > 0 ? Math.min(...starts) : Date.now();
  return new Date(Math.ceil((start + rememberForSeconds * 1_000) / 1_000) * 1_000);
}

/**
 * How early the scheduler may retire a device, in minutes: EventBridge Scheduler's flexible time window, so that many
 * devices whose trust ends together (one user's, made at once) are spread over it instead of all at once. A tenth of
 * the trust, at most 15 minutes; none below 10 minutes of trust. The schedule is set that much before the end, so
 * trust never outlasts its end.
 */
export function flexibleWindowMinutes(rememberForSeconds: number): number {
  return Math.min(15, Math.floor(rememberForSeconds / 600));
}
