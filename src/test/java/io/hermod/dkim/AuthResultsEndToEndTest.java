package io.hermod.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Mail signed by dkimpy (an independent implementation) arrives over real SMTP from an untrusted address
 * (127.0.0.2) on an mx listener; the keys and SPF records come from a real DNS server on loopback. Hermod's
 * Authentication-Results field is read from the message as local delivery wrote it into a Maildir.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthResultsEndToEndTest {

  static final String UNTRUSTED = "127.0.0.2";

  @TempDir
  static Path temp;
  static Vertx dnsVertx;
  static TestDnsServer dns;
  static KeyPair rsa;
  static KeyPair ed25519;
  static TestHermod hermod;

  @BeforeAll
  static void start() throws Exception {
    PythonDkimVerifier.require();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    rsa = g.generateKeyPair();
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    dnsVertx = Vertx.vertx();
    dns = TestDnsServer.start(dnsVertx).await()
        .txt("rsa.test", "v=spf1 ip4:127.0.0.2 -all")
        .txt("py._domainkey.rsa.test", InboundAuthFixture.split(PythonDkimSigner.keyRecord(rsa))) // 2048 bits: two strings
        .txt("ed.test", "v=spf1 ip4:192.0.2.1 -all")
        .txt("py._domainkey.ed.test", PythonDkimSigner.keyRecord(ed25519))
        .txt("client.test", "v=spf1 ip4:127.0.0.2 -all")
        .txt("slow.test", "v=spf1 ip4:127.0.0.2 -all")
        .txt("py._domainkey.slow.test", PythonDkimSigner.keyRecord(ed25519))
        .delay("py._domainkey.slow.test", 10_000);
    hermod = InboundAuthFixture.hermod(temp, dns);
  }

  @AfterAll
  static void stop() {
    InboundAuthFixture.stop(hermod, dns, dnsVertx);
  }

  @Test
  void rsaAndEd25519SignaturesPass() throws Exception {
    String rsaSigned = sign(message("a@rsa.test"), rsa, "py", "rsa.test");
    assertEquals("Authentication-Results: mx.hermod.test;\r\n"
        + "\tspf=pass smtp.mailfrom=a@rsa.test;\r\n"
        + "\tdkim=pass header.d=rsa.test header.s=py header.a=rsa-sha256 header.b=" + bPrefix(rsaSigned) + "\r\n",
        send(UNTRUSTED, "client.test", "a@rsa.test", rsaSigned));
    String edSigned = sign(message("a@ed.test"), ed25519, "py", "ed.test");
    assertEquals("Authentication-Results: mx.hermod.test;\r\n"
        + "\tspf=fail smtp.mailfrom=a@ed.test;\r\n"
        + "\tdkim=pass header.d=ed.test header.s=py header.a=ed25519-sha256 header.b=" + bPrefix(edSigned) + "\r\n",
        send(UNTRUSTED, "client.test", "a@ed.test", edSigned));
  }

  @Test
  void tamperedIsFailAndAMissingKeyIsPermerror() throws Exception {
    String signed = sign(message("a@rsa.test"), rsa, "py", "rsa.test");
    assertEquals(dkimClause("fail reason=\"body hash did not verify\"", "rsa.test", "py", "rsa-sha256", signed),
        lastLine(send(UNTRUSTED, "client.test", "a@rsa.test", signed.replace("Hello Bob", "Hello Eve"))));
    String gone = sign(message("a@rsa.test"), rsa, "gone", "rsa.test");
    assertEquals(dkimClause("permerror reason=\"no key for signature\"", "rsa.test", "gone", "rsa-sha256", gone),
        lastLine(send(UNTRUSTED, "client.test", "a@rsa.test", gone)));
  }

  @Test
  void unsignedIsNoneAndTheNullSenderIsCheckedOnTheHeloName() throws Exception {
    assertEquals("Authentication-Results: mx.hermod.test;\r\n\tspf=pass smtp.mailfrom=a@rsa.test;\r\n\tdkim=none\r\n",
        send(UNTRUSTED, "client.test", "a@rsa.test", message("a@rsa.test")));
    assertEquals("Authentication-Results: mx.hermod.test;\r\n\tspf=pass smtp.helo=client.test;\r\n\tdkim=none\r\n",
        send(UNTRUSTED, "client.test", "", message("mailer-daemon@client.test")));
    // RFC 7208 §2.3: an address literal is no HELO identity to check.
    assertEquals("Authentication-Results: mx.hermod.test;\r\n\tspf=none smtp.helo=\"[127.0.0.2]\";\r\n\tdkim=none\r\n",
        send(UNTRUSTED, "[127.0.0.2]", "", message("mailer-daemon@client.test")));
    assertEquals(0, dns.queries("[127.0.0.2]", Type.TXT), "an address literal was looked up");
  }

  @Test
  void aKeyLookupSlowerThanTheDnsTimeoutIsTemperror() throws Exception {
    String signed = sign(message("a@slow.test"), ed25519, "py", "slow.test");
    assertEquals(dkimClause("temperror reason=\"key lookup failed\"", "slow.test", "py", "ed25519-sha256", signed),
        lastLine(send(UNTRUSTED, "client.test", "a@slow.test", signed)));
  }

  @Test
  void mailFromTrustedNetworksIsNotVerified() throws Exception {
    assertNull(send("127.0.0.1", "client.test", "a@rsa.test", sign(message("a@rsa.test"), rsa, "py", "rsa.test")));
  }

  // ---- helpers ----

  private static String message(String from) {
    return "From: Sender <" + from + ">\r\nTo: u@local.test\r\nSubject: dkim test\r\n"
        + "Message-ID: <" + System.nanoTime() + "@test>\r\n\r\nHello Bob,\r\n.leading dot\r\n\r\n";
  }

  private static String sign(String message, KeyPair pair, String selector, String domain) throws Exception {
    return PythonDkimSigner.sign(temp, message, pair, selector, domain, "relaxed/simple", false) + message;
  }

  /** Sends over SMTP and returns the Authentication-Results field of the delivered message, or null. */
  private static String send(String from, String helo, String sender, String message) throws Exception {
    try (SmtpLineClient c = SmtpLineClient.connectFrom(from, "127.0.0.1", hermod.port())) {
      c.expect(220);
      c.send("EHLO " + helo).expect(250);
      c.send("MAIL FROM:<" + sender + ">").expect(250);
      c.send("RCPT TO:<u@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw((message.replace("\r\n.", "\r\n..") + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
      c.expect(250);
      c.send("QUIT").expect(221);
    }
    int id = message.indexOf("Message-ID: ");
    String delivered = delivered(temp.resolve("mail/u/new"), message.substring(id, message.indexOf(">\r\n", id) + 1));
    // Local delivery writes Return-Path and Delivered-To, then what was made at acceptance, then the spooled bytes.
    assertTrue(delivered.startsWith("Return-Path: <" + sender + ">\r\nDelivered-To: u@local.test\r\n"), delivered);
    Matcher m = Pattern.compile("\r\n(Authentication-Results:[^\r]*\r\n(\t[^\r]*\r\n)*)").matcher(delivered);
    if (!m.find()) {
      return null;
    }
    assertTrue(delivered.indexOf("\r\nReceived: ") > m.start(), "Authentication-Results above our Received");
    return m.group(1);
  }

  /** The Maildir file in {@code inbox} holding the message with this Message-ID field, once local delivery wrote it. */
  static String delivered(Path inbox, String messageId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(inbox)) {
        try (Stream<Path> files = Files.list(inbox)) {
          for (Path f : files.toList()) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            if (text.contains(messageId)) {
              return text;
            }
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not delivered: " + messageId);
  }

  /** The last line of the field: one dkim= clause with its properties. */
  private static String dkimClause(String result, String d, String s, String a, String signed) {
    return "\tdkim=" + result + " header.d=" + d + " header.s=" + s + " header.a=" + a + " header.b=" + bPrefix(signed)
        + "\r\n";
  }

  private static String bPrefix(String signed) {
    String b = signed.substring(signed.indexOf(" b=") + 3);
    b = b.substring(0, b.indexOf("\r\nFrom:")).replaceAll("[\r\n\t ;]", "");
    String prefix = b.substring(0, 8);
    return prefix.matches("[A-Za-z0-9+]+") ? prefix : "\"" + prefix + "\"";
  }

  private static String lastLine(String field) {
    return field.substring(field.lastIndexOf("\r\n\t") + 2);
  }

}
