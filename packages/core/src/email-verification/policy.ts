import { SECOND_FACTOR_POLICY, type ThrottlePolicy } from '../throttle/failure-counter.js';

/** Wrong verification codes per user (behind a session): 10, then 1 min doubling to 1 h. */
export const EMAIL_VERIFICATION_POLICY: ThrottlePolicy = {
  ...SECOND_FACTOR_POLICY,
  scope: 'email-verification',
};
