package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NextHopTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "'[10.1.2.3]:2525', 10.1.2.3, 2525, true, '[10.1.2.3]:2525'",
      "'[10.1.2.3]', 10.1.2.3, 0, true, '[10.1.2.3]'",
      "'[::1]:25', ::1, 25, true, '[::1]:25'",
      "'[relay.example]', relay.example, 0, true, '[relay.example]'",
      "'Relay.Example:587', relay.example, 587, false, 'relay.example:587'",
      "'relay.example', relay.example, 0, false, 'relay.example'",
      "' relay.example ', relay.example, 0, false, 'relay.example'",
      "'192.0.2.1:25', 192.0.2.1, 25, false, '192.0.2.1:25'",
  })
  void parses(String spec, String host, int port, boolean noMx, String text) {
    NextHop hop = NextHop.parse(spec);
    assertEquals(new NextHop(host, port, noMx), hop);
    assertEquals(text, hop.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "[10.1.2.3", "[10.1.2.3]x", "relay.example:0", "relay.example:65536",
      "relay.example:smtp", "[]:25", ":25", "::1", "relay example", "relay_example", "[::1%eth0]", "-relay.example"})
  void rejects(String spec) {
    assertThrows(IllegalArgumentException.class, () -> NextHop.parse(spec));
  }
}
