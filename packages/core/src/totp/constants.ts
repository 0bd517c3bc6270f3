/** RFC 6238 §4 with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 §4 recommends 160 bits of secret. */
export const TOTP_SECRET_BYTES = 20;
/** RFC 6238 §5.2: one step either side absorbs clock drift and typing delay. */
export const TOTP_WINDOW_STEPS = 1;
