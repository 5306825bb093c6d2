import { isPublicAddress, urlProblem } from '../../src/services/partner-webhooks/address-policy';

describe('partner webhook address policy (no SSRF)', () => {
  const forbidden: [string, string][] = [
    ['IPv4 loopback', '127.0.0.1'],
    ['IPv4 loopback, elsewhere in 127/8', '127.5.6.7'],
    ['unspecified IPv4', '0.0.0.0'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.31.255.1'],
    ['private 192.168/16', '192.168.1.1'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['link-local', '169.254.10.10'],
    ['cloud metadata (IPv4)', '169.254.169.254'],
    ['multicast IPv4', '224.0.0.251'],
    ['broadcast / reserved', '255.255.255.255'],
    ['documentation range', '192.0.2.10'],
    ['IPv6 loopback', '::1'],
    ['unspecified IPv6', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 link-local with zone', 'fe80::1%eth0'],
    ['IPv6 unique local', 'fc00::1'],
    ['cloud metadata (IPv6, AWS)', 'fd00:ec2::254'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv4-mapped loopback (dotted)', '::ffff:127.0.0.1'],
    ['IPv4-mapped loopback (hex)', '::ffff:7f00:1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['IPv4-mapped metadata (bracketed)', '[::ffff:169.254.169.254]'],
    ['IPv4-compatible loopback', '::127.0.0.1'],
    ['NAT64 of a private address', '64:ff9b::a00:1'],
    ['6to4 of loopback', '2002:7f00:1::1'],
    ['not an IP at all', 'localhost'],
  ];
  it.each(forbidden)('should refuse %s (%s)', (_kind, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([['93.184.216.34'], ['1.1.1.1'], ['2606:4700:4700::1111'], ['::ffff:93.184.216.34']])(
    'should allow the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('should require https in production, and refuse credentials, fragments and other schemes everywhere', () => {
    const prod = { requireHttps: true, allowPrivate: false };
    const dev = { requireHttps: false, allowPrivate: false };
    expect(urlProblem('http://hooks.example.com/x', prod)).toMatch(/https/);
    expect(urlProblem('https://hooks.example.com/x', prod)).toBeNull();
    expect(urlProblem('http://hooks.example.com/x', dev)).toBeNull();
    expect(urlProblem('https://user:pw@hooks.example.com/x', prod)).toMatch(/credentials/);
    expect(urlProblem('https://hooks.example.com/x#frag', prod)).toMatch(/fragment/);
    expect(urlProblem('file:///etc/passwd', dev)).toMatch(/http/);
    expect(urlProblem('gopher://hooks.example.com/', dev)).toMatch(/http/);
    expect(urlProblem('/relative', dev)).toMatch(/absolute/);
  });
});
