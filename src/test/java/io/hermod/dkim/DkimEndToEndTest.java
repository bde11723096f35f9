package io.hermod.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.spool.Spool;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted client sends through Hermod A, which signs at acceptance and prepends the signature on delivery
 * to Hermod B; python3-dkim verifies what B stored. A message from the same client for a From domain
 * without a key arrives unsigned.
 */
class DkimEndToEndTest {

  @TempDir
  Path temp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void signedAtAcceptanceVerifiesAtTheNextHop() throws Exception {
    PythonDkimVerifier.require();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    Path pem = Files.writeString(temp.resolve("local.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    try (TestHermod b = TestHermod.start(temp.resolve("b"), new JsonObject()
        .put("hostname", "mx.remote.test").put("localDomains", new JsonArray().add("remote.test")))) {
      try (TestHermod a = TestHermod.start(temp.resolve("a"), new JsonObject()
          .put("routing", new JsonObject().put("routes", new JsonObject().put("remote.test", "[127.0.0.1]:" + b.port())))
          .put("dkim", new JsonObject().put("keys", new JsonArray().add(new JsonObject()
              .put("domain", "local.test").put("selector", "sel").put("privateKeyFile", pem.toString())))))) {
        String message = "From: App <app@local.test>\r\nTo: bob@remote.test\r\nSubject: signed\r\n"
            + "Message-ID: <e2e@local.test>\r\n\r\nHello  Bob,\r\n..dot line\r\n\r\n\r\n";
        send(a.port(), message);
        send(a.port(), message.replace("app@local.test", "app@unsigned.test"));

        waitUntil(() -> b.hermod.spool().list().await().size() == 2 && a.hermod.spool().list().await().isEmpty());
        String signed = null;
        String unsigned = null;
        for (String id : b.hermod.spool().list().await()) {
          String content = content(b.hermod.spool(), id);
          if (content.contains("unsigned.test")) {
            unsigned = content;
          } else {
            signed = content;
          }
        }
        assertTrue(!unsigned.contains("DKIM-Signature"), unsigned);
        // B's Received, then the signature A prepended, then A's Received and the client's bytes.
        assertTrue(signed.matches("(?s)Received: from [^\\n]*\\n(\t[^\\n]*\\n)*DKIM-Signature: v=1; a=rsa-sha256; "
            + "c=relaxed/relaxed; d=local.test; s=sel;.*"), signed);
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        assertEquals("True", PythonDkimVerifier.verify(temp, signed.getBytes(StandardCharsets.ISO_8859_1), record,
            "sel._domainkey.local.test."));
      }
    }
  }

  private static void send(int port, String message) throws Exception {
    try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", port)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<app@local.test>").expect(250);
      c.send("RCPT TO:<bob@remote.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw((message.replace("\r\n.", "\r\n..") + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
      c.expect(250);
      c.send("QUIT").expect(221);
    }
  }

  private static String content(Spool spool, String id) throws Exception {
    Spool.Content c = spool.content(id).await();
    byte[] all = Files.readAllBytes(c.file());
    return new String(all, (int) c.offset(), (int) c.length(), StandardCharsets.ISO_8859_1);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for delivery to B");
      Thread.sleep(50);
    }
  }
}
