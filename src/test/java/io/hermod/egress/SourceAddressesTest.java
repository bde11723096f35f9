package io.hermod.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.LogCapture;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The start-up check of source addresses binds real sockets (port 0) and sends nothing. */
class SourceAddressesTest {

  @Test
  void loopbackAliasesBindAndAForeignAddressDoesNot() throws IOException {
    SourceAddresses.bindLocally("127.0.0.1");
    SourceAddresses.bindLocally("127.0.0.2"); // any of 127.0.0.0/8 on Linux
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
    assertThrows(IOException.class, () -> SourceAddresses.bindLocally("192.0.2.55"));
  }

  @Test
  void aMissingSourceIsSkippedWithOneWarning() {
    Map<String, EgressSource> sources = new LinkedHashMap<>();
    sources.put("ip1", new EgressSource("ip1", "127.0.0.2", "out1.example"));
    sources.put("gone", new EgressSource("gone", "192.0.2.55", "out9.example"));
    sources.put("ip2", new EgressSource("ip2", "127.0.0.3", null));
    Logger logger = Logger.getLogger("io.hermod.egress.test");
    try (LogCapture log = new LogCapture(logger.getName())) {
      Map<String, EgressSource> usable = SourceAddresses.usable(sources, SourceAddresses::bindLocally, logger);
      assertEquals(List.of("ip1", "ip2"), List.copyOf(usable.keySet()));
      assertEquals(1, log.messages().size(), log.messages().toString());
      assertTrue(log.anyContains("egress source gone: address 192.0.2.55 is not usable on this node"),
          log.messages().toString());
    }
  }
}
