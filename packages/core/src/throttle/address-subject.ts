import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** RFC 4291 §2.5.4 / RFC 7421: one IPv6 subnet, and what every customer is handed at least. */
const IPV6_THROTTLE_PREFIX_BITS = 64;

const IPV6_PART_BITS = 16;

/**
 * The throttle subject for a client address: whoever holds an IPv6 /64 holds 2^64 addresses,
 * so per-address counters count the /64 (`2001:db8:1:2::/64`, RFC 5952 text). An IPv4 address
 * counts as itself, also when a dual-stack socket reports it IPv4-mapped (`::ffff:192.0.2.1`).
 * Anything that is not a plain address (`unknown`) is its own subject, unchanged.
 */
export function addressThrottleSubject(clientAddress: string): string {
  // node:net is the strict gate (dotted-quad IPv4 only, no `127.1` or `0x7f.1`); ipaddr.js
  // then reads the IPv6 parts. The zone id names an interface on our side, not the client.
  if (isIP(clientAddress) !== 6) return clientAddress;
  const bare = clientAddress.split('%', 1)[0] ?? '';
  if (!ipaddr.IPv6.isValid(bare)) return clientAddress;
  const address = ipaddr.IPv6.parse(bare);
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  const kept = IPV6_THROTTLE_PREFIX_BITS / IPV6_PART_BITS;
  const network = address.parts.map((part, i) => (i < kept ? part : 0));
  return `${new ipaddr.IPv6(network).toRFC5952String()}/${IPV6_THROTTLE_PREFIX_BITS}`;
}
