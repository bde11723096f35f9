package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
      "192.0.2.0/24, 192.0.2.0, true",
      "192.0.2.0/24, 192.0.2.255, true",
      "192.0.2.0/24, 192.0.3.1, false",
      "192.0.2.77/24, 192.0.2.1, true",     // host bits in the spec are masked off
      "10.0.0.0/8, 10.255.1.2, true",
      "0.0.0.0/0, 203.0.113.9, true",
      "127.0.0.1, 127.0.0.1, true",         // bare address: /32
      "127.0.0.1, 127.0.0.2, false",
      "2001:db8::/32, 2001:db8:ffff::1, true",
      "2001:db8::/32, 2001:db9::1, false",
      "::1/128, ::1, true",
      "::1, ::2, false",                    // bare address: /128
      "2001:db8::/33, 2001:db8:8000::1, false",
      "10.0.0.0/8, ::1, false",             // families never match
      "::/0, 10.0.0.1, false",
  })
  void contains(String spec, String address, boolean expected) throws Exception {
    assertEquals(expected, Cidr.parse(spec).contains(InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "", "/8",
      "256.0.0.0/8", "10.0.0/8", "example.com", "cafe", "dead.beef/16", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9/64"})
  void rejects(String spec) {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse(spec));
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.0/24", "::1/128", "127.0.0.1"})
  void keepsItsText(String spec) {
    assertEquals(spec, Cidr.parse(spec).toString());
  }

  @org.junit.jupiter.api.Test
  void equalityIsByNetwork() {
    assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.1.2.3/8"));
    assertEquals(Cidr.parse("10.0.0.0/8").hashCode(), Cidr.parse("10.1.2.3/8").hashCode());
    assertFalse(Cidr.parse("10.0.0.0/8").equals(Cidr.parse("10.0.0.0/9")));
    assertTrue(Cidr.parse("::1").equals(Cidr.parse("::1/128")));
  }
}
