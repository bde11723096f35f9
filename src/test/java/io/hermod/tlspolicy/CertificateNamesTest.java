package io.hermod.tlspolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6125 §6.4 name matching as SMTP uses it (RFC 7672 §3.2.3, RFC 8461 §4.2), table-driven. */
class CertificateNamesTest {

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "mx.example.com,       mx.example.com,        true",
      "MX.Example.COM,       mx.example.com.,       true",
      "mx.example.com.,      MX.EXAMPLE.COM,        true",
      "mx.example.com,       mx2.example.com,       false",
      "*.example.com,        mx.example.com,        true",
      "*.example.com,        example.com,           false",
      "*.example.com,        a.mx.example.com,      false",
      "*.com,                example.com,           false",
      "m*.example.com,       mx.example.com,        false",
      "mx.*.com,             mx.example.com,        false",
      "*,                    mx,                    false",
      "*.*.example.com,      a.b.example.com,       false",
      "'',                   mx.example.com,        false",
  })
  void matches(String pattern, String host, boolean expected) {
    assertEquals(expected, CertificateNames.matches(List.of(pattern), host));
  }

  @org.junit.jupiter.api.Test
  void anyOfSeveralNamesMatches() {
    assertEquals(true, CertificateNames.matches(List.of("other.test", "*.example.com"), "mx.example.com"));
    assertEquals(false, CertificateNames.matches(List.of(), "mx.example.com"));
  }
}
