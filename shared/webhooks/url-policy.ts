import { BlockList, isIP } from 'node:net';
import type { FieldProblem } from '../errors';

/*
 * Where webhooks may go (SSRF): `https` only, never to a private, loopback, link-local, shared,
 * multicast or reserved address, checked on the URL at registration and on every address its name
 * resolves to at each delivery (the delivery then connects to the address it checked, so a name
 * that resolves elsewhere a moment later — DNS rebinding — cannot move it). `npm run dev` and the
 * tests also allow `http://127.0.0.1:<port>` (loopback); private and link-local stay refused.
 */

/** The longest URL an endpoint may have (spec 9). */
export const MAX_URL_LENGTH = 2048;

/** Addresses no webhook may reach (IPv4 and IPv6; IPv4-mapped IPv6 is checked as IPv4). */
const BLOCKED = /* @__PURE__ */ (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8], // "this" network
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
    ['169.254.0.0', 16], // link-local (instance metadata)
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relay
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ] as const)
    list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of [
    ['::', 128], // unspecified
    ['64:ff9b::', 96], // NAT64 (reaches IPv4 addresses)
    ['100::', 64], // discard
    ['2001:db8::', 32], // documentation
    ['2002::', 16], // 6to4 (embeds IPv4 addresses)
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['ff00::', 8], // multicast
  ] as const)
    list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

const LOOPBACK = /* @__PURE__ */ (() => {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  return list;
})();

/** `::ffff:10.0.0.1` → `10.0.0.1`; other addresses as they are. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Whether a webhook may connect to `address` (an IP address). */
export function isAllowedAddress(address: string, options: { allowLoopback: boolean }): boolean {
  const ip = unmapped(address.replace(/^\[|\]$/g, ''));
  const family = isIP(ip);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(ip, type)) return options.allowLoopback;
  return !BLOCKED.check(ip, type);
}

/** Host names that resolve to the machine or the local network by convention. */
function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return (
    !name.includes('.') ||
    name === 'localhost' ||
    /\.(?:localhost|local|internal|localdomain|home\.arpa|in-addr\.arpa|ip6\.arpa)$/.test(name)
  );
}

/**
 * The problems of an endpoint URL at registration (an empty list when it may be used): its form,
 * its length, its scheme, and its host when that is an address or a local name. A host name is
 * resolved and checked at each delivery.
 */
export function endpointUrlProblems(url: string, options: { allowLoopback: boolean }): FieldProblem[] {
  const refuse = (code: string, message: string): FieldProblem[] => [{ field: 'url', code, message }];
  if (url.length > MAX_URL_LENGTH) return refuse('TOO_LONG', `At most ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('INVALID_FORMAT', 'An absolute URL such as https://hooks.example.com/pos');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopbackHttp =
    options.allowLoopback &&
    parsed.protocol === 'http:' &&
    isIP(host) !== 0 &&
    LOOPBACK.check(unmapped(host), isIP(unmapped(host)) === 6 ? 'ipv6' : 'ipv4');
  if (parsed.protocol !== 'https:' && !loopbackHttp) {
    return refuse(
      'NOT_ALLOWED',
      options.allowLoopback ? 'Use https (locally also http://127.0.0.1:<port>)' : 'Use https',
    );
  }
  if (parsed.username !== '' || parsed.password !== '')
    return refuse('NOT_ALLOWED', 'A URL must not carry a user name or password');
  if (parsed.hash !== '') return refuse('NOT_ALLOWED', 'A URL must not have a fragment (#…)');
  if (isIP(host) !== 0) {
    return isAllowedAddress(host, options)
      ? []
      : refuse('NOT_ALLOWED', 'Private, loopback, link-local and reserved addresses are refused');
  }
  if (isLocalName(host)) return refuse('NOT_ALLOWED', 'Use a public host name with a domain');
  return [];
}
