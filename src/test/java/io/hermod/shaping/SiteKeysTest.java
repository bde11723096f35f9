package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SiteKeysTest {

  private final SiteKeys keys = new SiteKeys(List.of(
      new Provider("google", List.of("*.google.com", ".googlemail.com"), 40, 0),
      new Provider("outlook", List.of("protection.outlook.com"), 0, 0)), List.of("Own.Example"));

  @ParameterizedTest(name = "{0} via [{1}]:{2} -> {3}")
  @CsvSource(delimiter = ';', value = {
      // Every Google Workspace domain is one site, whatever order its MX records come in.
      "a.example; aspmx.l.google.com alt1.aspmx.l.google.com; 25; provider:google",
      "b.example; ALT1.ASPMX.L.GOOGLE.COM. aspmx.l.google.com gmail-smtp-in.l.googlemail.com; 25; provider:google",
      "c.example; c-example.mail.protection.outlook.com; 25; provider:outlook",
      // A host outside the provider keeps the site off the provider.
      "d.example; aspmx.l.google.com mx.d.example; 25; aspmx.l.google.com,mx.d.example",
      // "google.com" itself is not below .google.com; a look-alike is not either.
      "e.example; google.com; 25; google.com",
      "f.example; mx.notgoogle.com; 25; mx.notgoogle.com",
      // No provider: the sorted host set, the port when not 25.
      "g.example; mx2.shared.test mx1.shared.test; 25; mx1.shared.test,mx2.shared.test",
      "h.example; mx1.shared.test mx2.shared.test mx1.shared.test; 2525; mx1.shared.test,mx2.shared.test:2525",
      // Implicit MX: the domain is its own host.
      "i.example; i.example; 25; i.example",
      // An opted-out domain is its own site even on a provider's hosts.
      "own.example; aspmx.l.google.com; 25; own.example",
  })
  void siteOfADomain(String domain, String hosts, int port, String site) {
    assertEquals(site, keys.ofMx(domain, List.of(hosts.split(" ")), port));
  }

  @Test
  void providerLookupByHostsAndBySite() {
    assertEquals("google", keys.providerOf(List.of("aspmx.l.google.com")).name());
    assertNull(keys.providerOf(List.of()));
    assertEquals(40, keys.providerNamed("provider:google").maxConnections());
    assertNull(keys.providerNamed("mx1.shared.test"));
  }

  @Test
  void badProviderRulesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Provider("Google", List.of(".google.com"), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Provider("g", List.of(), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Provider("g", List.of("*.*.com"), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Provider("g", List.of("."), 0, 0));
  }
}
