import { UAParser } from 'ua-parser-js';

const MAX_NAME = 1024;

/**
 * A friendly device name from a User-Agent ("Chrome on macOS", "iPhone"), for confirmations that send
 * no `deviceName`. Returns undefined when the agent says nothing useful, so Cognito keeps the device unnamed
 * rather than carrying a misleading name.
 */
export function deviceNameFromUserAgent(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const osName = os.name === 'Mac OS' ? 'macOS' : os.name;
  // In-app web views report the bare engine; the hardware says more about which device it is.
  const browserName = browser.name === 'WebKit' ? undefined : browser.name;
  let name: string | undefined;
  if (browserName && osName) name = `${browserName} on ${osName}`;
  else if (device.model)
    name =
      device.vendor && device.vendor !== 'Apple' && !device.model.startsWith(device.vendor)
        ? `${device.vendor} ${device.model}`
        : device.model;
  else name = osName ?? browserName;
  return name?.slice(0, MAX_NAME);
}
