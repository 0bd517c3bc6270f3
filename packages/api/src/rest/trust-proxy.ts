import proxyaddr from 'proxy-addr';

/**
 * Which hops in front of the server are trusted proxies (docs/contract.md § MFA endpoints,
 * client address): the nearest `hops` (1 = the socket peer only), or the peers whose address
 * is in `addresses` (addresses, CIDRs and proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`).
 */
export type TrustProxy = { hops: number } | { addresses: readonly string[] };

/** proxy-addr's trust function: is the hop at `index` (0 = the socket peer) a trusted proxy? */
export type TrustFunction = (address: string, index: number) => boolean;

/** Compiles the setting once; throws a TypeError naming a malformed address or range. */
export function compileTrustProxy(trust: TrustProxy): TrustFunction {
  if ('hops' in trust) {
    const { hops } = trust;
    return (_address, index) => index < hops;
  }
  return proxyaddr.compile([...trust.addresses]);
}
