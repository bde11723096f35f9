package io.hermod.dkim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DkimConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimSignerTest {

  private static final String MESSAGE = String.join("\r\n",
      "From: Alice <alice@example.org>",
      "To: bob@remote.test,",
      "  carol@remote.test",
      "Subject:   Hello\t  there  ",
      "Date: Sat, 1 Mar 2025 10:00:00 +0000",
      "Message-ID: <1@example.org>",
      "X-Not-Signed: yes",
      "",
      "Body line with   spaces  \t",
      "",
      "  indented",
      "last line without CRLF then blank lines",
      "",
      "",
      "");

  @TempDir
  Path dir;

  @Test
  void relaxedBodyHashFollowsRfc6376() throws Exception {
    assertArrayEquals(sha256(""), hash(""));            // errata 1384: empty body hashes the empty string
    assertArrayEquals(sha256(""), hash("\r\n\r\n"));     // only empty lines: nothing
    assertArrayEquals(sha256(" a b\r\n"), hash("  a \t b  \r\n\r\n"));
    assertArrayEquals(sha256("x\r\n"), hash("x"));       // a CRLF is added to a last line without one
    assertArrayEquals(sha256("a\r\n\r\nb\r\n"), hash("a\r\n \t\r\nb\r\n"));
  }

  @Test
  void bodyHashDoesNotDependOnHowTheBytesArrive() {
    byte[] body = "a  b \r\n\r\n c\t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    RelaxedBodyHash oneByOne = new RelaxedBodyHash();
    for (byte b : body) {
      oneByOne.update(b);
    }
    RelaxedBodyHash whole = new RelaxedBodyHash();
    whole.update(body, 0, body.length);
    assertArrayEquals(whole.digest(), oneByOne.digest());
  }

  @Test
  void rsaSignatureVerifiesWithPythonDkim() throws Exception {
    PythonDkimVerifier.require();
    KeyPair pair = generate("RSA", 2048);
    DkimKeys keys = keys(pair);
    String signature = sign(keys, MESSAGE, 7);
    assertTrue(signature.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;"));
    assertTrue(signature.contains("h=From:To:Subject:Date:Message-ID;"), signature);
    String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    byte[] signed = (signature + MESSAGE).getBytes(StandardCharsets.UTF_8);
    assertEquals("True", PythonDkimVerifier.verify(dir, signed, record, "s1._domainkey.example.org."));

    // The same verifier refuses a changed body and a changed signed header: the check can fail.
    byte[] body = (signature + MESSAGE.replace("Body line", "Body lime")).getBytes(StandardCharsets.UTF_8);
    assertEquals("False", PythonDkimVerifier.verify(dir, body, record, "s1._domainkey.example.org."));
    byte[] subject = (signature + MESSAGE.replace("Hello", "Hullo")).getBytes(StandardCharsets.UTF_8);
    assertEquals("False", PythonDkimVerifier.verify(dir, subject, record, "s1._domainkey.example.org."));
    // Changes relaxed canonicalization ignores still verify; an unsigned header may change.
    byte[] relaxed = (signature + MESSAGE.replace("Subject:   Hello", "subject: Hello")
        .replace("X-Not-Signed: yes", "X-Not-Signed: no")).getBytes(StandardCharsets.UTF_8);
    assertEquals("True", PythonDkimVerifier.verify(dir, relaxed, record, "s1._domainkey.example.org."));
  }

  @Test
  void ed25519SignatureVerifiesWithPythonDkim() throws Exception {
    PythonDkimVerifier.require();
    KeyPair pair = generate("Ed25519", 0);
    String signature = sign(keys(pair), MESSAGE, 1);
    assertTrue(signature.contains("a=ed25519-sha256;"), signature);
    byte[] spki = pair.getPublic().getEncoded(); // RFC 8463 §4.2: p= is the raw 32-byte key
    byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    String record = "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(raw);
    byte[] signed = (signature + MESSAGE).getBytes(StandardCharsets.UTF_8);
    assertEquals("True", PythonDkimVerifier.verify(dir, signed, record, "s1._domainkey.example.org."));
  }

  @Test
  void onlyAFromDomainWithAKeyIsSigned() throws Exception {
    DkimKeys keys = keys(generate("RSA", 2048));
    assertNull(sign(keys, MESSAGE.replace("alice@example.org", "alice@other.test"), 64));
    assertNull(sign(keys, MESSAGE.replace("From: Alice", "From: a@example.org\r\nFrom: Alice"), 64));
    assertNull(sign(keys, MESSAGE.replace("From: Alice <alice@example.org>\r\n", ""), 64));
    assertNotNull(sign(keys, MESSAGE.replace("Alice <alice@example.org>", "alice@EXAMPLE.org (Alice)"), 64));
  }

  @Test
  void aKeyFileThatIsNoPkcs8KeyIsRefused() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");
    try {
      DkimKeys.load(new DkimConfig(List.of(new DkimConfig.Key("example.org", "s1", bad.toString(),
          DkimConfig.DEFAULT_HEADERS))));
      throw new AssertionError("loaded a bad key");
    } catch (java.io.UncheckedIOException e) {
      assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
    }
  }

  /** Feeds the message in chunks of {@code chunk} bytes, as the listener does. */
  private static String sign(DkimKeys keys, String message, int chunk) {
    MessageDkim dkim = new MessageDkim(keys);
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += chunk) {
      dkim.update(bytes, i, Math.min(bytes.length, i + chunk));
    }
    return dkim.signature(Instant.parse("2025-03-01T10:00:00Z"));
  }

  private DkimKeys keys(KeyPair pair) throws Exception {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Path file = Files.writeString(dir.resolve("key.pem"), pem);
    return DkimKeys.load(new DkimConfig(List.of(new DkimConfig.Key("example.org", "s1", file.toString(),
        DkimConfig.DEFAULT_HEADERS))));
  }

  private static KeyPair generate(String algorithm, int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    if (bits > 0) {
      g.initialize(bits);
    }
    return g.generateKeyPair();
  }

  private static byte[] hash(String body) {
    RelaxedBodyHash h = new RelaxedBodyHash();
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    h.update(b, 0, b.length);
    return h.digest();
  }

  private static byte[] sha256(String s) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
  }
}
