import type { LoginDevice } from '../auth/proven-login.js';

export interface TestDevice extends LoginDevice {
  /** The device token the last complete login handed this client. */
  issued: string | undefined;
}

/** A client holding `presentedToken` (a browser's device cookie), recording what it is given. */
export function createTestDevice(presentedToken?: string): TestDevice {
  const device: TestDevice = {
    presentedToken,
    issued: undefined,
    keep(token) {
      device.issued = token;
    },
  };
  return device;
}
