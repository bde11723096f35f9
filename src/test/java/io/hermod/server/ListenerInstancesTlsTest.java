package io.hermod.server;

import io.hermod.testing.Ports;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listener with two instances shares its port (Vert.x spreads the connections over both event loops): STARTTLS
 * and implicit TLS must work on every connection, whichever instance takes it. Vert.x 5.0.7 left the second
 * instance without a TLS context manager, so every other STARTTLS hung (see SharedServerTls). A port of 0 would
 * give each instance its own port, so this test uses fixed (free) ports.
 */
@Timeout(120)
class ListenerInstancesTlsTest {

  @TempDir
  Path temp;

  @Test
  void everyConnectionOfATwoInstanceListenerCanStartTls() throws Exception {
    int starttls = Ports.free();
    int implicit = Ports.free();
    JsonObject config = new JsonObject()
        .put("listeners", new JsonArray()
            .add(listener("mx", "mx", "starttls", starttls))
            .add(listener("smtps", "submission", "implicit", implicit)))
        .put("tls", new JsonObject().put("generatedDirectory", temp.resolve("tls").toString()));
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config)) {
      Path cert = temp.resolve("tls/cert.pem");
      for (int i = 0; i < 6; i++) {
        try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", starttls, cert)) {
          c.send("QUIT").expect(221);
        }
        try (TlsSmtpClient c = TlsSmtpClient.implicit(implicit, cert)) {
          c.expect(220);
          c.send("QUIT").expect(221);
        }
      }
    }
  }

  private static JsonObject listener(String name, String role, String tls, int port) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", port).put("role", role)
        .put("tls", tls).put("instances", 2);
  }
}
