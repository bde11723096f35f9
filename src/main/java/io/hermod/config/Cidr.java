package io.hermod.config;

import java.net.InetAddress;

/** An IPv4 or IPv6 network in CIDR notation ("192.0.2.0/24", "::1/128"); a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefix, String text) {

  public static Cidr parse(String spec) {
    String s = spec.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    // Only literals: a name here must never turn into a DNS lookup.
    byte[] bytes = HostNames.ipLiteral(addr)
        .orElseThrow(() -> new IllegalArgumentException("not an IP network: '" + spec + "'"))
        .getAddress();
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + spec + "'");
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix length out of range in '" + spec + "'");
      }
    }
    return new Cidr(mask(bytes, prefix), prefix, s);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    byte[] masked = mask(a, prefix);
    return java.util.Arrays.equals(masked, network);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - bits));
    }
    return out;
  }

  /** Same network and prefix ("10.0.0.1/8" equals "10.0.0.0/8"); a record would compare the array by identity. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && prefix == c.prefix && java.util.Arrays.equals(network, c.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return text;
  }
}
