package io.hermod.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DkimConfig;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DKIM verifier without sockets: parsers, canonicalization, and signatures from our signer and dkimpy. */
class DkimVerifierTest {

  static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  static final String MESSAGE = String.join("\r\n",
      "From: Alice <alice@example.org>",
      "To: bob@local.test",
      "Subject:  Hello\t there ",
      "Date: Sat, 1 Mar 2025 10:00:00 +0000",
      "Message-ID: <1@example.org>",
      "",
      "Body line with   spaces  \t",
      "",
      "last line",
      "",
      "");

  static KeyPair rsa;
  static KeyPair ed25519;

  @TempDir
  Path dir;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    rsa = g.generateKeyPair();
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  // ---- tag lists (RFC 6376 §3.2) ----

  @Test
  void tagListsParse() {
    String[][] table = {
        // tag list, the tags parsed
        {"v=1; a=rsa-sha256", "v=1,a=rsa-sha256"},
        {"  v = 1 ;\r\n\ta=x;", "v=1,a=x"},     // FWS around names and values, a trailing ';'
        {"b=ab\r\n cd", "b=ab\r\n cd"},          // inner folding kept (the base64 reader removes it)
        {"x=", "x="},                               // an empty value is a value
    };
    for (String[] row : table) {
      String parsed = DkimTags.parse(row[0]).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","));
      assertEquals(row[1], parsed, row[0]);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "v=1; v=1|duplicate tag v",
      "v=1;; a=x|empty tag in tag list",
      "v|tag without \"=\": v",
      "1v=1|bad tag name: 1v",
  })
  void malformedTagListsArePermerrors(String list, String reason) {
    assertPermerror(reason, () -> DkimTags.parse(list));
  }

  // ---- canonicalization: the example of RFC 6376 §3.4.6 ----

  static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

  @Test
  void rfc6376Example() {
    HeaderBlock block = new HeaderBlock(1024);
    byte[] bytes = EXAMPLE.getBytes(StandardCharsets.US_ASCII);
    int bodyStart = block.update(bytes, 0, bytes.length);
    List<HeaderField> fields = block.fields();
    assertEquals("a:X\r\nb:Y Z\r\n", Canonicalization.RELAXED.header(fields.get(0))
        + Canonicalization.RELAXED.header(fields.get(1)));
    assertEquals("A: X\r\nB : Y\t\r\n\tZ  \r\n", Canonicalization.SIMPLE.header(fields.get(0))
        + Canonicalization.SIMPLE.header(fields.get(1)));
    assertEquals(sha256(" C\r\nD E\r\n"), bodyHash(Canonicalization.RELAXED, bytes, bodyStart, -1));
    assertEquals(sha256(" C \r\nD \t E\r\n"), bodyHash(Canonicalization.SIMPLE, bytes, bodyStart, -1));
  }

  @Test
  void bodyCanonicalizations() {
    Object[][] table = {
        // canonicalization, body, l= (-1: none), the canonical text hashed
        {Canonicalization.SIMPLE, "", -1, "\r\n"},               // §3.4.3: an empty body is one CRLF
        {Canonicalization.SIMPLE, "\r\n\r\n\r\n", -1, "\r\n"},
        {Canonicalization.SIMPLE, "a", -1, "a\r\n"},             // a CRLF is added to a last line without one
        {Canonicalization.SIMPLE, "a \r\n\r\n b \r\n\r\n", -1, "a \r\n\r\n b \r\n"},
        {Canonicalization.RELAXED, "", -1, ""},                  // errata 1384: the empty string
        {Canonicalization.RELAXED, "a\t b  \r\n\r\n  ", -1, "a b\r\n"},
        {Canonicalization.SIMPLE, "abc\r\ndef\r\n", 4, "abc\r"}, // l=: only the first l canonical octets
        {Canonicalization.RELAXED, "a  b\r\n", 2, "a "},
    };
    for (Object[] row : table) {
      byte[] bytes = ((String) row[1]).getBytes(StandardCharsets.US_ASCII);
      assertEquals(sha256((String) row[3]), bodyHash((Canonicalization) row[0], bytes, 0, (int) row[2]),
          row[0] + " " + row[1]);
    }
  }

  // ---- key records (RFC 6376 §3.6.1, RFC 8463 §4.2, RFC 8301) ----

  @Test
  void keyRecords() throws Exception {
    DkimKeyRecord r = DkimKeyRecord.parse(PythonDkimSigner.keyRecord(rsa));
    assertEquals("rsa", r.keyType());
    assertEquals(rsa.getPublic(), r.key());
    DkimKeyRecord e = DkimKeyRecord.parse(PythonDkimSigner.keyRecord(ed25519) + "; t=y");
    assertEquals("ed25519", e.keyType());
    assertEquals(ed25519.getPublic(), e.key());
    assertTrue(e.testing());
    String p = PythonDkimSigner.keyRecord(rsa).substring("v=DKIM1; k=rsa; ".length());
    assertEquals("rsa", DkimKeyRecord.parse(p).keyType()); // k= defaults to rsa, v= is optional
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "v=DKIM1; k=rsa; p=|key revoked",
      "v=DKIM1; k=rsa|key record: no p=",
      "k=rsa; v=DKIM1; p=AAAA|key record: v= must be DKIM1 and come first",
      "v=DKIM2; p=AAAA|key record: v= must be DKIM1 and come first",
      "v=DKIM1; k=dsa; p=AAAA|key record: unknown key type k=dsa",
      "v=DKIM1; h=sha1; p=AAAA|key record: h= does not allow sha256",
      "v=DKIM1; k=ed25519; p=AAAA|key record: unusable ed25519 key",
      "v=DKIM1; p=!!!|key record: bad base64 in p=",
  })
  void badKeyRecordsArePermerrors(String record, String reason) {
    assertPermerror(reason, () -> DkimKeyRecord.parse(record));
  }

  @Test
  void rsaKeysUnder1024BitsAreRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(768);
    KeyPair small = g.generateKeyPair();
    assertPermerror("RSA key shorter than 1024 bits (RFC 8301)", () -> DkimKeyRecord.parse(PythonDkimSigner.keyRecord(small)));
  }

  // ---- signatures: our signer round trip ----

  @Test
  void ourRsaAndEd25519SignaturesPassAndAlterationsFail() {
    for (KeyPair pair : List.of(rsa, ed25519)) {
      String signed = signOurs(pair) + MESSAGE;
      Map<String, List<String>> dns = Map.of("s1._domainkey.example.org", List.of(PythonDkimSigner.keyRecord(pair)));
      DkimVerdict pass = verifyOne(signed, dns);
      assertEquals(DkimResult.PASS, pass.result(), pass.toString());
      assertEquals("example.org", pass.domain());
      assertEquals("s1", pass.selector());
      assertEquals(pair == rsa ? "rsa-sha256" : "ed25519-sha256", pass.algorithm());

      DkimVerdict body = verifyOne(signed.replace("last line", "Last line"), dns);
      assertEquals(DkimResult.FAIL, body.result());
      assertEquals("body hash did not verify", body.reason());

      DkimVerdict header = verifyOne(signed.replace("Subject:  Hello", "Subject:  Hallo"), dns);
      assertEquals(DkimResult.FAIL, header.result());
      assertEquals("signature did not verify", header.reason());

      // Relaxed/relaxed: re-folding white space in a signed header or the body does not break it.
      assertEquals(DkimResult.PASS, verifyOne(signed.replace("Subject:  Hello\t there", "Subject: Hello there")
          .replace("with   spaces", "with spaces"), dns).result());
    }
  }

  @Test
  void keyProblemsAndDnsFailures() {
    String signed = signOurs(rsa) + MESSAGE;
    assertEquals(new DkimVerdict(DkimResult.PERMERROR, "example.org", "s1", "rsa-sha256", bOf(signed),
        "no key for signature"), verifyOne(signed, Map.of()));
    assertEquals("key revoked", verifyOne(signed, Map.of("s1._domainkey.example.org",
        List.of("v=DKIM1; k=rsa; p="))).reason());
    assertEquals(DkimResult.PERMERROR, verifyOne(signed, Map.of("s1._domainkey.example.org",
        List.of(PythonDkimSigner.keyRecord(ed25519)))).result()); // k=ed25519 for an rsa-sha256 signature
    DkimVerdict temp = verify(signed, name -> Future.failedFuture("DNS timeout"), 5).get(0);
    assertEquals(DkimResult.TEMPERROR, temp.result());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a=rsa-sha256|a=rsa-sha1|rsa-sha1 is not accepted (RFC 8301)",
      "h=From:|h=To:|From field not signed",
      "d=example.org|d=example.org; i=@evil.test|i= domain not within d=",
      "t=1740823200|t=1700000000; x=1700000001|signature expired",
      "t=1740823200|t=1740823200; x=1700000001|x= is before t=",
      "v=1|v=2|incompatible version v=2",
      "c=relaxed/relaxed|c=relaxed/loose|unknown canonicalization loose",
      "s=s1|q=dns/txt; s=s1|''",
      "d=example.org|d=example.org; i=user@sub.example.org|''",
      "d=example.org|d=example.org; l=x|bad l=",
  })
  void signatureTagChecks(String from, String to, String reason) {
    String signed = signOurs(rsa).replace(from, to) + MESSAGE;
    DkimVerdict v = verifyOne(signed, Map.of("s1._domainkey.example.org", List.of(PythonDkimSigner.keyRecord(rsa))));
    if (reason.isEmpty()) {
      // a tag that changes nothing about verification, but the signature covers it: fails, does not error
      assertEquals(DkimResult.FAIL, v.result(), v.toString());
    } else {
      assertEquals(DkimResult.PERMERROR, v.result(), v.toString());
      assertEquals(reason, v.reason());
    }
  }

  @Test
  void noSignatureIsNoneAndOnlyTheFirstSignaturesAreVerified() {
    assertEquals(List.of(DkimVerdict.none()), verify(MESSAGE, name -> Future.succeededFuture(List.of()), 5));
    String one = signOurs(rsa);
    List<DkimVerdict> two = verify(one + one + one + MESSAGE,
        name -> Future.succeededFuture(List.of(PythonDkimSigner.keyRecord(rsa))), 2);
    assertEquals(2, two.size());
    assertTrue(two.stream().allMatch(v -> v.result() == DkimResult.PASS), two.toString());
  }

  // ---- signatures from dkimpy (an independent implementation) ----

  @ParameterizedTest
  @CsvSource({"relaxed/relaxed, false", "simple/simple, false", "relaxed/simple, true", "simple/relaxed, true"})
  void dkimpySignaturesPass(String canonicalization, boolean withLength) throws Exception {
    PythonDkimVerifier.require();
    for (KeyPair pair : List.of(rsa, ed25519)) {
      String signed = PythonDkimSigner.sign(dir, MESSAGE, pair, "py", "example.org", canonicalization, withLength)
          + MESSAGE;
      Map<String, List<String>> dns = Map.of("py._domainkey.example.org", List.of(PythonDkimSigner.keyRecord(pair)));
      assertEquals(DkimResult.PASS, verifyOne(signed, dns).result(), canonicalization + " " + signed);
      // l= lets content be appended (which is why we never sign with it); without l= that fails.
      DkimVerdict appended = verifyOne(signed + "appended\r\n", dns);
      assertEquals(withLength ? DkimResult.PASS : DkimResult.FAIL, appended.result(), appended.toString());
    }
  }

  // ---- helpers ----

  private static void assertPermerror(String reason, org.junit.jupiter.api.function.Executable parse) {
    DkimException e = assertThrows(DkimException.class, parse);
    assertEquals(DkimResult.PERMERROR, e.result);
    assertEquals(reason, e.getMessage());
  }

  private static String signOurs(KeyPair pair) {
    DkimKey key = new DkimKey("example.org", "s1", pair == rsa ? DkimKey.Algorithm.RSA_SHA256
        : DkimKey.Algorithm.ED25519_SHA256, pair.getPrivate(), DkimConfig.DEFAULT_HEADERS);
    MessageDkim signer = new MessageDkim(new DkimKeys(List.of(key)));
    byte[] bytes = MESSAGE.getBytes(StandardCharsets.ISO_8859_1);
    signer.update(bytes, 0, bytes.length);
    return signer.signature(NOW);
  }

  private static String bOf(String signed) {
    String b = signed.substring(signed.indexOf("b=", signed.indexOf("bh=") + 3) + 2);
    return b.substring(0, b.indexOf("\r\n" + "From:")).replaceAll("[\r\n\t ]", "");
  }

  private static DkimVerdict verifyOne(String message, Map<String, List<String>> records) {
    List<DkimVerdict> all = verify(message, name -> Future.succeededFuture(records.getOrDefault(name, List.of())), 5);
    assertEquals(1, all.size(), all.toString());
    return all.get(0);
  }

  /** Feeds the message in 7-byte pieces, as the listener feeds what arrives. */
  private static List<DkimVerdict> verify(String message, DkimDns dns, int max) {
    MessageDkimVerifier v = new MessageDkimVerifier(dns, max, NOW);
    byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length; i += 7) {
      v.update(bytes, i, Math.min(bytes.length, i + 7));
    }
    Future<List<DkimVerdict>> f = v.verdicts();
    assertTrue(f.succeeded(), String.valueOf(f.cause()));
    return f.result();
  }

  private static String bodyHash(Canonicalization c, byte[] bytes, int from, long length) {
    BodyHash h = c.bodyHash(length);
    h.update(bytes, from, bytes.length);
    return java.util.Base64.getEncoder().encodeToString(h.digest());
  }

  private static String sha256(String s) {
    try {
      return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
