package io.hermod.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8601 §5 over real SMTP: a message from another server (127.0.0.2, mx listener) carries forged
 * Authentication-Results fields with our authserv-id, signed by dkimpy together with them. The message as
 * local delivery wrote it into a Maildir has our own field once (dkim=pass: the signature was verified on
 * the message as received), another server's field untouched, and no forged one. A trusted client's mail
 * keeps its fields.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthResultsForgeryEndToEndTest {

  static final String FORGED = "Authentication-Results: mx.hermod.test;\r\n\tdkim=pass header.d=bank.example\r\n";
  static final String FORGED_TOO = "AUTHENTICATION-RESULTS: (trust me)\r\n MX.Hermod.Test 1; spf=pass\r\n";
  static final String OTHERS = "Authentication-Results: other.example; spf=pass smtp.mailfrom=a@rsa.test\r\n";

  @TempDir
  static Path temp;
  static Vertx dnsVertx;
  static TestDnsServer dns;
  static KeyPair rsa;
  static TestHermod hermod;

  @BeforeAll
  static void start() throws Exception {
    PythonDkimVerifier.require();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    rsa = g.generateKeyPair();
    dnsVertx = Vertx.vertx();
    String record = PythonDkimSigner.keyRecord(rsa);
    dns = TestDnsServer.start(dnsVertx).await()
        .txt("rsa.test", "v=spf1 ip4:127.0.0.2 -all")
        .txt("py._domainkey.rsa.test", InboundAuthFixture.split(record));
    hermod = InboundAuthFixture.hermod(temp, dns);
  }

  @AfterAll
  static void stop() {
    InboundAuthFixture.stop(hermod, dns, dnsVertx);
  }

  @Test
  void forgedFieldsWithOurIdAreRemovedOverData() throws Exception {
    String signed = signedWithForgedFields();
    String delivered = sendData("127.0.0.2", signed);
    assertOnlyOurFieldAndTheOthers(delivered, signed);
  }

  @Test
  void forgedFieldsWithOurIdAreRemovedOverBdatCutInsideAField() throws Exception {
    String signed = signedWithForgedFields();
    int cut = signed.indexOf("mx.hermod") + 4;
    String delivered = sendBdat("127.0.0.2", signed.substring(0, cut), signed.substring(cut));
    assertOnlyOurFieldAndTheOthers(delivered, signed);
  }

  @Test
  void mailFromATrustedClientKeepsItsFields() throws Exception {
    String message = FORGED + message();
    String delivered = sendData("127.0.0.1", message);
    assertTrue(delivered.endsWith(message), delivered);
  }

  // ---- helpers ----

  private static void assertOnlyOurFieldAndTheOthers(String delivered, String sent) {
    Matcher ours = Pattern.compile("(?i)authentication-results:\\s*(\\([^)]*\\)\\s*)?mx\\.hermod\\.test")
        .matcher(delivered.substring(0, delivered.indexOf("\r\n\r\n"))); // the header section
    int count = 0;
    while (ours.find()) {
      count++;
    }
    assertEquals(1, count, delivered);
    String b = sent.substring(sent.indexOf(" b=") + 3).replaceAll("[\r\n\t ]", "").substring(0, 8);
    assertTrue(delivered.contains("Authentication-Results: mx.hermod.test;\r\n\tspf=pass smtp.mailfrom=a@rsa.test;\r\n"
        + "\tdkim=pass header.d=rsa.test header.s=py header.a=rsa-sha256 header.b="), delivered);
    assertTrue(delivered.contains(b.matches("[A-Za-z0-9+]+") ? b : "\"" + b + "\""), "header.b of our field");
    assertFalse(delivered.contains("bank.example"), delivered);
    // Everything but the two forged fields arrives byte for byte, the other server's field included.
    String expected = sent.replace(FORGED, "").replace(FORGED_TOO, "");
    assertTrue(expected.contains(OTHERS));
    assertTrue(delivered.endsWith(expected), delivered);
  }

  /** The forged fields are in h=: removing them breaks the signature downstream, as RFC 8601 §5 accepts. */
  private static String signedWithForgedFields() throws Exception {
    String message = FORGED + OTHERS + FORGED_TOO + message();
    return PythonDkimSigner.sign(temp, message, rsa, "py", "rsa.test", "relaxed/simple", false,
        "from,to,subject,authentication-results,authentication-results,authentication-results") + message;
  }

  private static String message() {
    return "From: Sender <a@rsa.test>\r\nTo: u@local.test\r\nSubject: forged results\r\n"
        + "Message-ID: <" + System.nanoTime() + "@test>\r\n\r\n"
        + "Authentication-Results: mx.hermod.test; dkim=pass (in the body: not a header field)\r\n";
  }

  private static String sendData(String from, String message) throws Exception {
    try (SmtpLineClient c = envelope(from)) {
      c.send("DATA").expect(354);
      c.sendRaw((message.replace("\r\n.", "\r\n..") + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
      c.expect(250);
      c.send("QUIT").expect(221);
    }
    return delivered(message);
  }

  private static String sendBdat(String from, String first, String last) throws Exception {
    try (SmtpLineClient c = envelope(from)) {
      c.sendRaw(("BDAT " + first.length() + "\r\n" + first).getBytes(StandardCharsets.ISO_8859_1)).expect(250);
      c.sendRaw(("BDAT " + last.length() + " LAST\r\n" + last).getBytes(StandardCharsets.ISO_8859_1)).expect(250);
      c.send("QUIT").expect(221);
    }
    return delivered(first + last);
  }

  private static SmtpLineClient envelope(String from) throws Exception {
    SmtpLineClient c = SmtpLineClient.connectFrom(from, "127.0.0.1", hermod.port());
    c.expect(220);
    c.send("EHLO client.test").expect(250);
    c.send("MAIL FROM:<a@rsa.test>").expect(250);
    c.send("RCPT TO:<u@local.test>").expect(250);
    return c;
  }

  /** The Maildir copy of the message with the same Message-ID field. */
  private static String delivered(String message) throws Exception {
    int at = message.indexOf("Message-ID: ");
    String messageId = message.substring(at, message.indexOf("\r\n", at));
    return AuthResultsEndToEndTest.delivered(temp.resolve("mail/u/new"), messageId);
  }
}
