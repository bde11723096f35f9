package io.hermod.dkim;

import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Authentication-Results end-to-end tests share: a Hermod that checks SPF (tag) and DKIM against
 * a loopback DNS server and delivers local.test to Maildirs under {@code temp/mail/<user>}, and its teardown.
 */
final class InboundAuthFixture {

  private InboundAuthFixture() {
  }

  static TestHermod hermod(Path temp, TestDnsServer dns) {
    return TestHermod.start(temp.resolve("spool"), new JsonObject()
        .put("spf", new JsonObject().put("policy", "tag"))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort()))
            .put("timeoutMillis", 1000))
        .put("local", new JsonObject().put("transports", new JsonObject().put("local.test", new JsonObject()
            .put("type", "maildir").put("directory", temp.resolve("mail").toString() + "/%u")))));
  }

  static void stop(TestHermod hermod, TestDnsServer dns, Vertx dnsVertx) {
    if (hermod != null) {
      hermod.close();
    }
    if (dns != null) {
      dns.close().await();
      dnsVertx.close().await();
    }
  }

  /** A TXT record longer than 255 octets as the several character-strings DNS needs (RFC 1035 §3.3.14). */
  static List<String> split(String record) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < record.length(); i += 255) {
      strings.add(record.substring(i, Math.min(record.length(), i + 255)));
    }
    return strings;
  }
}
