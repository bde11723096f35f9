package io.hermod.delivery;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.RecipientState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DsnBuilderTest {

  static final String HOST = "mx.hermod.test";
  static final Instant ARRIVAL = Instant.parse("2025-03-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2025-03-01T10:05:00Z");
  static final String BOUNDARY = "=_hermod-test-boundary";
  static final byte[] ORIGINAL_HEADERS = ("Received: from client.test by mx.hermod.test; Sat, 1 Mar 2025 10:00:00 +0000\r\n"
      + "From: Alice <alice@sender.test>\r\nTo: bob@remote.test\r\nSubject: quarterly numbers\r\n"
      + "Message-ID: <orig-1@sender.test>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  static final byte[] ORIGINAL = concat(ORIGINAL_HEADERS,
      "Hello Bob,\r\nthe numbers are attached.\r\n".getBytes(StandardCharsets.US_ASCII));

  private final DsnBuilder builder = new DsnBuilder(new DsnIdentifiers() {
    @Override
    public String boundary() {
      return BOUNDARY;
    }

    @Override
    public String messageIdLocalPart() {
      return "dsn.test-1";
    }
  });

  static Envelope envelope(String sender, DsnRet ret, String envid, boolean smtpUtf8, Recipient... rcpts) {
    return new Envelope("Q1", sender, List.of(rcpts), envid, ret, BodyType.SEVEN_BIT, smtpUtf8, "192.0.2.1",
        "client.test", null, "mx", ARRIVAL, ORIGINAL.length, ARRIVAL, false, false);
  }

  static Recipient rcpt(String address, String orcpt, DsnNotify... notify) {
    return new Recipient(address, orcpt, Set.of(notify), RecipientState.FAILED, 1, null);
  }

  static RecipientReport failed(Recipient r, String diagnostic) {
    return new RecipientReport(r, DsnAction.FAILED, "5.1.1", "mx1.remote.test", diagnostic, NOW);
  }

  private DsnRequest request(Envelope env, RecipientReport... reports) {
    return new DsnRequest(HOST, env, List.of(reports), ORIGINAL_HEADERS, ARRIVAL.plusSeconds(432_000), NOW);
  }

  /** The complete DSN bytes; the original is handed over only as a stream. */
  private static byte[] assemble(DsnMessage dsn) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    dsn.writeTo(out, new ByteArrayInputStream(ORIGINAL));
    byte[] bytes = out.toByteArray();
    assertEquals(dsn.size(ORIGINAL.length), bytes.length);
    assertWellFormedLines(bytes);
    return bytes;
  }

  /** CRLF only, no line over 998 octets (RFC 5322 §2.1.1, RFC 5321 §4.5.3.1.6). */
  static void assertWellFormedLines(byte[] bytes) {
    int lineLength = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\r') {
        assertTrue(i + 1 < bytes.length && bytes[i + 1] == '\n', "bare CR at " + i);
      } else if (bytes[i] == '\n') {
        assertTrue(i > 0 && bytes[i - 1] == '\r', "bare LF at " + i);
        lineLength = 0;
        continue;
      } else {
        lineLength++;
      }
      assertTrue(lineLength <= 998, "line over 998 octets at " + i);
    }
    assertTrue(bytes.length >= 2 && bytes[bytes.length - 2] == '\r' && bytes[bytes.length - 1] == '\n');
  }

  private static JsonObject part(JsonObject parsed, int index) {
    return parsed.getJsonArray("parts").getJsonObject(index);
  }

  private static List<String> partTypes(JsonObject parsed) {
    return parsed.getJsonArray("parts").stream().map(p -> ((JsonObject) p).getString("type")).toList();
  }

  private static void assertReportStructure(JsonObject parsed) {
    assertTrue(parsed.getBoolean("is_multipart"));
    assertEquals("multipart/report", parsed.getString("content_type"));
    assertEquals("delivery-status", parsed.getString("report_type"));
    assertEquals(new JsonArray(), parsed.getJsonArray("defects"), "the parser found defects");
  }

  @Test
  void failureForOneRecipientWithoutOrcptEnvidOrRetReturnsHeaders() throws Exception {
    Recipient bob = rcpt("bob@remote.test", null);
    Envelope env = envelope("alice@sender.test", null, null, false, bob);
    DsnMessage dsn = builder.build(request(env, failed(bob, "smtp; 550 5.1.1 user unknown")));
    assertEquals(IncludeOriginal.HEADERS, dsn.include());
    InputStream untouchable = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("the original must not be read without RET=FULL");
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    dsn.writeTo(out, untouchable);
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));

    assertReportStructure(parsed);
    JsonObject headers = parsed.getJsonObject("headers");
    assertEquals("Mail Delivery System <MAILER-DAEMON@mx.hermod.test>", headers.getString("From"));
    assertEquals("alice@sender.test", headers.getString("To"));
    assertEquals("Undelivered Mail Returned to Sender", headers.getString("Subject"));
    assertEquals("auto-replied", headers.getString("Auto-Submitted"));
    assertEquals("<dsn.test-1@mx.hermod.test>", headers.getString("Message-ID"));
    assertEquals("Sat, 01 Mar 2025 10:05:00 +0000", headers.getString("Date"));
    assertEquals("1.0", headers.getString("MIME-Version"));
    assertEquals(List.of("text/plain", "message/delivery-status", "text/rfc822-headers"), partTypes(parsed));

    String text = part(parsed, 0).getString("text");
    assertTrue(text.contains("<bob@remote.test>: host mx1.remote.test said: 550 5.1.1 user unknown"), text);
    text.lines().forEach(l -> assertTrue(l.length() <= 78, "wrapped at 78: " + l));

    JsonObject status = part(parsed, 1);
    assertEquals(new JsonObject().put("Reporting-MTA", "dns; mx.hermod.test")
        .put("Arrival-Date", "Sat, 1 Mar 2025 10:00:00 +0000"), status.getJsonObject("per_message"));
    assertEquals(1, status.getJsonArray("recipients").size());
    assertEquals(new JsonObject()
        .put("Final-Recipient", "rfc822;bob@remote.test")
        .put("Action", "failed")
        .put("Status", "5.1.1")
        .put("Remote-MTA", "dns; mx1.remote.test")
        .put("Diagnostic-Code", "smtp; 550 5.1.1 user unknown")
        .put("Last-Attempt-Date", "Sat, 1 Mar 2025 10:05:00 +0000"), status.getJsonArray("recipients").getJsonObject(0));

    assertEquals(new String(ORIGINAL_HEADERS, StandardCharsets.US_ASCII),
        part(parsed, 2).getString("text"));
    assertEquals(BodyType.SEVEN_BIT, dsn.body());
    assertFalse(dsn.smtpUtf8());
  }

  @Test
  void failureForTwoRecipientsWithOrcptEnvidAndRetFullReturnsTheWholeMessage() throws Exception {
    Recipient bob = rcpt("bob@remote.test", "rfc822;Bob.Original@remote.test", DsnNotify.FAILURE);
    Recipient carol = rcpt("carol@other.test", null);
    Envelope env = envelope("alice@sender.test", DsnRet.FULL, "QQ314159 +=x", false, bob, carol);
    DsnMessage dsn = builder.build(request(env, failed(bob, "smtp; 550 5.1.1 user unknown"),
        new RecipientReport(carol, DsnAction.FAILED, "4.4.7", null, null, null)));
    assertEquals(IncludeOriginal.FULL, dsn.include());
    assertTrue(dsn.streamsOriginal());
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));

    assertReportStructure(parsed);
    assertEquals(List.of("text/plain", "message/delivery-status", "message/rfc822"), partTypes(parsed));
    JsonObject status = part(parsed, 1);
    assertEquals("QQ314159+20+2B+3Dx", status.getJsonObject("per_message").getString("Original-Envelope-Id"));
    JsonArray recipients = status.getJsonArray("recipients");
    assertEquals(2, recipients.size());
    assertEquals("rfc822;Bob.Original@remote.test", recipients.getJsonObject(0).getString("Original-Recipient"));
    assertEquals("rfc822;bob@remote.test", recipients.getJsonObject(0).getString("Final-Recipient"));
    assertEquals(new JsonObject()
        .put("Final-Recipient", "rfc822;carol@other.test")
        .put("Action", "failed")
        .put("Status", "4.4.7"), recipients.getJsonObject(1));

    JsonObject returned = part(parsed, 2);
    assertEquals("quarterly numbers", returned.getJsonObject("inner_headers").getString("Subject"));
    assertEquals("<orig-1@sender.test>", returned.getJsonObject("inner_headers").getString("Message-ID"));
    assertEquals("Hello Bob,\r\nthe numbers are attached.\r\n", returned.getString("inner_body"));
  }

  @Test
  void retHdrsReturnsOnlyTheHeaders() throws Exception {
    Recipient bob = rcpt("bob@remote.test", "rfc822;bob@remote.test");
    Envelope env = envelope("alice@sender.test", DsnRet.HDRS, "abc", false, bob);
    DsnMessage dsn = builder.build(request(env, failed(bob, "550 5.1.1 no such user")));
    assertEquals(IncludeOriginal.HEADERS, dsn.include());
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));
    assertReportStructure(parsed);
    assertEquals(List.of("text/plain", "message/delivery-status", "text/rfc822-headers"), partTypes(parsed));
    JsonObject status = part(parsed, 1);
    assertEquals("abc", status.getJsonObject("per_message").getString("Original-Envelope-Id"));
    assertEquals("smtp; 550 5.1.1 no such user",
        status.getJsonArray("recipients").getJsonObject(0).getString("Diagnostic-Code"), "smtp type assumed");
    assertTrue(part(parsed, 2).getString("text").contains("Subject: quarterly numbers"));
  }

  @Test
  void delayReportCarriesWillRetryUntilAndOnlyHeadersEvenWithRetFull() throws Exception {
    Recipient bob = rcpt("bob@remote.test", null, DsnNotify.DELAY);
    Envelope env = envelope("alice@sender.test", DsnRet.FULL, null, false, bob);
    DsnMessage dsn = builder.build(request(env, new RecipientReport(bob, DsnAction.DELAYED, "4.7.1",
        "mx1.remote.test", "smtp; 451 4.7.1 greylisted", NOW)));
    assertEquals(IncludeOriginal.HEADERS, dsn.include());
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));
    assertReportStructure(parsed);
    assertEquals("Delayed Mail (still being retried)", parsed.getJsonObject("headers").getString("Subject"));
    JsonObject block = part(parsed, 1).getJsonArray("recipients").getJsonObject(0);
    assertEquals("delayed", block.getString("Action"));
    assertEquals("Thu, 6 Mar 2025 10:00:00 +0000", block.getString("Will-Retry-Until"));
    assertTrue(part(parsed, 0).getString("text").contains("Thu, 6 Mar 2025 10:00:00 +0000"));
  }

  @Test
  void successReportHasItsSubject() throws Exception {
    Recipient bob = rcpt("bob@remote.test", null, DsnNotify.SUCCESS);
    Envelope env = envelope("alice@sender.test", null, null, false, bob);
    DsnMessage dsn = builder.build(request(env, new RecipientReport(bob, DsnAction.RELAYED, "2.0.0",
        "mx1.remote.test", "smtp; 250 2.0.0 ok", NOW)));
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));
    assertReportStructure(parsed);
    assertEquals("Successful Mail Delivery Report", parsed.getJsonObject("headers").getString("Subject"));
    assertEquals("relayed", part(parsed, 1).getJsonArray("recipients").getJsonObject(0).getString("Action"));
  }

  @Test
  void smtpUtf8OriginalsGetTheGlobalTypes() throws Exception {
    Recipient jose = rcpt("josé@remote.test", null);
    Envelope env = envelope("ålice@sender.test", null, null, true, jose);
    DsnMessage dsn = builder.build(request(env, failed(jose, "smtp; 550 5.1.1 unknown")));
    assertTrue(dsn.smtpUtf8());
    assertEquals(BodyType.EIGHT_BIT_MIME, dsn.body());
    byte[] bytes = assemble(dsn);
    JsonObject parsed = PythonMailParser.parse(bytes);
    assertEquals("multipart/report", parsed.getString("content_type"));
    assertEquals(List.of("text/plain", "message/global-delivery-status", "message/global-headers"),
        partTypes(parsed));
    assertEquals("ålice@sender.test", parsed.getJsonObject("headers").getString("To"));
    String raw = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(raw.contains("\r\nFinal-Recipient: utf-8;josé@remote.test\r\n"), raw);
  }

  @Test
  void headerInjectionInARemoteReplyIsNeutralised() throws Exception {
    Recipient bob = rcpt("bob@remote.test", null);
    Envelope env = envelope("alice@sender.test", null, null, false, bob);
    DsnMessage dsn = builder.build(request(env, new RecipientReport(bob, DsnAction.FAILED, "5.0.0",
        "mx1.remote.test\r\nBcc: evil2@x", "550 x\r\nBcc: evil@x\r\n\r\nbody\u0000\u001b[1m", NOW)));
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));
    assertReportStructure(parsed);
    assertFalse(parsed.getJsonArray("header_names").contains("Bcc"));
    JsonObject status = part(parsed, 1);
    for (Object names : status.getJsonArray("block_names")) {
      assertFalse(((JsonArray) names).contains("Bcc"), "injected field in " + names);
    }
    JsonObject block = status.getJsonArray("recipients").getJsonObject(0);
    assertEquals("smtp; 550 x Bcc: evil@x body [1m", block.getString("Diagnostic-Code"));
    assertEquals("dns; mx1.remote.testBcc:evil2@x", block.getString("Remote-MTA"));
    assertEquals(3, partTypes(parsed).size());
  }

  @Test
  void longDiagnosticsAreFoldedBelow998Octets() throws Exception {
    Recipient bob = rcpt("bob@remote.test", null);
    Envelope env = envelope("alice@sender.test", null, null, false, bob);
    String words = "550 5.7.1 " + "blocked because of reasons ".repeat(40);
    String hugeWord = "x".repeat(1500);
    DsnMessage dsn = builder.build(request(env, failed(bob, words),
        failed(rcpt("carol@remote.test", null), "550 " + hugeWord)));
    byte[] bytes = assemble(dsn); // asserts every line ≤ 998
    JsonObject parsed = PythonMailParser.parse(bytes);
    assertReportStructure(parsed);
    JsonArray recipients = part(parsed, 1).getJsonArray("recipients");
    assertEquals("smtp; " + words.strip(), recipients.getJsonObject(0).getString("Diagnostic-Code"),
        "folding at spaces unfolds to the same text");
    String second = recipients.getJsonObject(1).getString("Diagnostic-Code");
    assertEquals(hugeWord, second.substring("smtp; 550 ".length()).replace(" ", ""), "a cut word keeps its text");
    String raw = new String(bytes, StandardCharsets.US_ASCII);
    assertTrue(raw.contains("\r\nDiagnostic-Code: smtp; 550 5.7.1 blocked"), raw);
  }

  @Test
  void neverBuildsABounceOfABounce() {
    Recipient bob = rcpt("bob@remote.test", null);
    Envelope bounce = envelope("", null, null, false, bob);
    assertThrows(IllegalArgumentException.class, () -> builder.build(request(bounce, failed(bob, null))));
  }

  @Test
  void bounceEnvelopeGoesFromTheNullSenderToTheOriginalSender() {
    Recipient bob = rcpt("bob@remote.test", null);
    Envelope env = envelope("alice@sender.test", DsnRet.FULL, "e1", false, bob);
    DsnMessage dsn = builder.build(request(env, failed(bob, "550 no")));
    Envelope b = DsnBuilder.bounceEnvelope("Q2", env, dsn, NOW);
    assertEquals("Q2", b.id());
    assertEquals("", b.sender());
    assertTrue(b.isBounce());
    assertEquals(List.of(Recipient.pending("alice@sender.test", null, Set.of(DsnNotify.NEVER))), b.recipients());
    assertNull(b.envid());
    assertNull(b.ret());
    assertEquals("local", b.listener());
    assertEquals(NOW, b.arrival());
    assertEquals(NOW, b.nextAttempt());
    assertEquals(dsn.body(), b.body());
    assertFalse(b.held());
    assertFalse(b.delayWarned());
    assertFalse(DsnBuilder.shouldReport(b, b.recipients().get(0), DsnAction.FAILED));
    assertEquals(b, Envelope.fromJson(b.toJson()), "spoolable");
    assertThrows(IllegalArgumentException.class, () -> DsnBuilder.bounceEnvelope("Q3", b, dsn, NOW));
  }

  @Test
  void eightBitOriginalsAreReturnedWithTheirTransferEncoding() throws Exception {
    Recipient bob = rcpt("bob@remote.test", null);
    Envelope env = new Envelope("Q1", "alice@sender.test", List.of(bob), null, DsnRet.FULL,
        BodyType.EIGHT_BIT_MIME, false, "192.0.2.1", "client.test", null, "mx", ARRIVAL, 10, ARRIVAL, false, false);
    DsnMessage dsn = builder.build(request(env, failed(bob, "550 no")));
    assertEquals(BodyType.EIGHT_BIT_MIME, dsn.body());
    JsonObject parsed = PythonMailParser.parse(assemble(dsn));
    assertReportStructure(parsed);
    assertEquals("8bit", part(parsed, 2).getJsonObject("headers").getString("Content-Transfer-Encoding"));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
