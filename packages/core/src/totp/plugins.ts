import { ScureBase32Plugin } from '@otplib/plugin-base32-scure';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';

/** Node's own HMAC (OpenSSL) rather than the pure-JS default, and RFC 4648 base32. */
export const OTP_PLUGINS = { crypto: new NodeCryptoPlugin(), base32: new ScureBase32Plugin() } as const;
