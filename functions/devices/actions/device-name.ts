import type { DeviceDirectory, DeviceOwner } from '../directory.js';
import { displayName } from '../names/display-name.js';

/**
 * A device's readable name for an event, or null: looked up only when events are published, and never allowed to
 * fail the change it describes (Cognito's token API sees remembered devices only, so a device that is not
 * remembered has no name here).
 */
export async function nameForEvent(
  publishing: boolean,
  directory: DeviceDirectory,
  owner: DeviceOwner,
  deviceKey: string,
): Promise<string | null> {
  if (!publishing) return null;
  try {
    return displayName((await directory.get(owner, deviceKey)).name);
  } catch {
    return null;
  }
}
