package io.hermod.server;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AUTH brute-force protection over real TLS connections from two loopback addresses. */
class AuthBruteForceTest {

  @TempDir
  Path temp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void afterTooManyFailuresTheAddressIsRefusedAndOthersAreNot() throws Exception {
    UserFile.write(temp.resolve("users"), Map.of("alice", PasswordHash.create("s3cret", new SecureRandom())));
    JsonObject config = new JsonObject()
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "submission").put("host", "127.0.0.1")
            .put("port", 0).put("role", "submission").put("tls", "starttls")))
        .put("tls", new JsonObject().put("generatedDirectory", temp.resolve("tls").toString()))
        .put("auth", new JsonObject().put("usersFile", temp.resolve("users").toString())
            .put("maxFailures", 2).put("failureWindowSeconds", 300).put("failureDelayMillis", 100));
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config)) {
      Path cert = temp.resolve("tls/cert.pem");
      try (TlsSmtpClient c = tls("127.0.0.3", h, cert)) {
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0wrong-1")).expect("535 5.7.8");
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0wrong-2"))
            .expect("421 4.7.0 Too many authentication failures");
        assertNull(c.reply()); // closed
      }
      try (TlsSmtpClient c = tls("127.0.0.3", h, cert)) {
        // Even the right password is not tried any more from this address within the window.
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret"))
            .expect("454 4.7.0 Too many authentication failures, try later");
        c.send("QUIT").expect(221);
      }
      try (TlsSmtpClient c = tls("127.0.0.4", h, cert)) {
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0wrong")).expect("535 5.7.8");
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("235 2.7.0");
      }
    }
  }

  private static TlsSmtpClient tls(String from, TestHermod h, Path cert) throws Exception {
    return TlsSmtpClient.startTls(from, h.hermod.port(0), cert);
  }
}
