import { describe, expect, it } from 'vitest';
import { addressThrottleSubject } from './address-subject.js';

describe('addressThrottleSubject', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressThrottleSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(addressThrottleSubject('127.0.0.1')).toBe('127.0.0.1');
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address, in any spelling', () => {
    expect(addressThrottleSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressThrottleSubject('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(addressThrottleSubject('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(addressThrottleSubject('0:0:0:0:0:ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('gives every spelling of every address in one /64 the same subject', () => {
    const spellings = [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff::9',
      '2001:DB8:1:2:A:B:C:D',
      '2001:db8:1:2:0:0:0:0',
      '2001:db8:1:2::',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
    ];
    expect(new Set(spellings.map(addressThrottleSubject))).toEqual(new Set(['2001:db8:1:2::/64']));
  });

  it('tells neighbouring /64s apart', () => {
    expect(addressThrottleSubject('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressThrottleSubject('2001:db8:1:2::1')).not.toBe(addressThrottleSubject('2001:db8:1:3::1'));
    // The /64 boundary: the 4th group is in the subject, the 5th is not.
    expect(addressThrottleSubject('2001:db8:0:1:1::1')).toBe('2001:db8:0:1::/64');
    expect(addressThrottleSubject('2001:db8::1')).toBe('2001:db8::/64');
  });

  it('handles loopback, unspecified and zone ids', () => {
    expect(addressThrottleSubject('::1')).toBe('::/64');
    expect(addressThrottleSubject('::')).toBe('::/64');
    expect(addressThrottleSubject('fe80::1%eth0')).toBe('fe80::/64');
    expect(addressThrottleSubject('FE80::a:b%en0')).toBe('fe80::/64');
    expect(addressThrottleSubject('fe80::1%25')).toBe('fe80::/64');
  });

  it('leaves anything that is not a plain address unchanged', () => {
    for (const garbage of [
      'unknown',
      '',
      ' ',
      '127.1',
      '0x7f.0.0.1',
      '010.0.0.1',
      '3232235777',
      '2001:db8::/64',
      '2001:db8::1::2',
      '2001:db8:1:2:3:4:5:6:7',
      '[2001:db8::1]',
      '203.0.113.7:8080',
      'gggg::1',
    ]) {
      expect(addressThrottleSubject(garbage)).toBe(garbage);
    }
  });
});
