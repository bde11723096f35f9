package io.hermod.tlspolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** outboundTls.policies lookups: exact domain, ".parent" for subdomains, next hops. */
class TlsPolicyMapTest {

  private static final TlsPolicyMap MAP = new TlsPolicyMap(Map.of(
      "Example.COM.", TlsLevel.VERIFY,
      ".example.com", TlsLevel.ENCRYPT,
      ".deep.example.com", TlsLevel.NONE,
      "[relay.test]:587", TlsLevel.DANE_ONLY,
      "relay.test:25", TlsLevel.MAY));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "example.com,         verify",
      "EXAMPLE.com.,        verify",
      "mx.example.com,      encrypt",
      "a.b.example.com,     encrypt",
      "x.deep.example.com,  none",
      "deep.example.com,    encrypt",
      "other.test,          ''",
      "notexample.com,      ''",
      "[relay.test]:587,    dane-only",
      "[relay.test]:25,     ''",
      "relay.test:25,       may",
  })
  void lookup(String destination, String expected) {
    TlsLevel level = MAP.lookup(destination);
    assertEquals(expected, level == null ? "" : level.keyword());
  }
}
