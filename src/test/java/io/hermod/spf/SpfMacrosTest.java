package io.hermod.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The RFC 7208 §7.4 examples. */
class SpfMacrosTest {

  private static String expand(String spec, String ip) throws Exception {
    return SpfMacros.expand(spec, new SpfMacros.Context(InetAddress.getByName(ip), "strong-bad@email.example.com",
        "email.example.com", "mx.example.org"));
  }

  @Test
  void rfcExamples() throws Exception {
    assertEquals("strong-bad@email.example.com", expand("%{s}", "192.0.2.3"));
    assertEquals("email.example.com", expand("%{o}", "192.0.2.3"));
    assertEquals("email.example.com", expand("%{d}", "192.0.2.3"));
    assertEquals("email.example.com", expand("%{d4}", "192.0.2.3"));
    assertEquals("example.com", expand("%{d2}", "192.0.2.3"));
    assertEquals("com", expand("%{d1}", "192.0.2.3"));
    assertEquals("com.example.email", expand("%{dr}", "192.0.2.3"));
    assertEquals("example.email", expand("%{d2r}", "192.0.2.3"));
    assertEquals("strong-bad", expand("%{l}", "192.0.2.3"));
    assertEquals("strong.bad", expand("%{l-}", "192.0.2.3"));
    assertEquals("bad.strong", expand("%{lr-}", "192.0.2.3"));
    assertEquals("3.2.0.192.in-addr._spf.example.com", expand("%{ir}.%{v}._spf.%{d2}", "192.0.2.3"));
    assertEquals("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
        expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"));
    assertEquals("a b%20c%", expand("a%_b%-c%%", "192.0.2.3"));
  }

  @Test
  void badMacrosAreErrors() {
    assertThrows(SpfMacros.MacroException.class, () -> expand("%{x}", "192.0.2.3"));
    assertThrows(SpfMacros.MacroException.class, () -> expand("%{d", "192.0.2.3"));
    assertThrows(SpfMacros.MacroException.class, () -> expand("%a", "192.0.2.3"));
    assertThrows(SpfMacros.MacroException.class, () -> expand("%{c}", "192.0.2.3"));
  }
}
