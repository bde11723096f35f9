package io.hermod.submit;

import io.hermod.api.Addresses;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.hermod.submit.SubmitFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmitVerticleTest {

  private static final String MESSAGE = "From: App <app@example.test>\r\nTo: bob@remote.test\r\n"
      + "Subject: hello\r\nMessage-ID: <given@example.test>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\n"
      + "Body line one.\r\n.leading dot stays\r\n";

  @TempDir
  Path dir;
  private SubmitFixture hermod;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    hermod = SubmitFixture.start(vertx, dir, new JsonObject().put("maxRecipients", 3).put("maxMessageSize", 4096),
        SubmitVerticle.DEFAULT_MAX_IN_FLIGHT);
  }

  @AfterEach
  void stop() throws Exception {
    hermod.close();
  }

  private static JsonObject request(String raw) {
    return new JsonObject().put("from", "app@example.test").put("to", new JsonArray().add("bob@remote.test"))
        .put("raw", raw);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Splits the spooled bytes after our Received header (three lines, the last one ends with the date). */
  private static String afterReceived(String spooled) {
    assertTrue(spooled.startsWith("Received: from local (event bus)\r\n\tby mx.hermod.test (Hermod) with LOCAL id "),
        spooled);
    int end = spooled.indexOf("\r\n", spooled.indexOf("\r\n\t", spooled.indexOf("\r\n") + 2) + 2);
    return spooled.substring(end + 2);
  }

  @Test
  void rawMessageIsSpooledByteExactAfterTheReceivedHeader() throws Exception {
    JsonObject reply = await(hermod.submit(request(MESSAGE)
        .put("dsn", new JsonObject().put("ret", "HDRS").put("envid", "batch-7").put("notify", new JsonArray().add("FAILURE")))));
    String id = reply.getString("queueId");
    assertEquals(1, reply.getInteger("recipients"));

    String spooled = text(hermod.spooled(id));
    assertTrue(spooled.contains(" id " + id + ";\r\n\t"), spooled);
    assertEquals(MESSAGE, afterReceived(spooled), "nothing added when Message-ID and Date are present");

    Envelope env = await(hermod.spool.load(id));
    assertEquals("app@example.test", env.sender());
    assertEquals(List.of("bob@remote.test"), env.recipients().stream().map(Recipient::address).toList());
    assertEquals(Set.of(DsnNotify.FAILURE), env.recipients().get(0).notifyOn());
    assertEquals(DsnRet.HDRS, env.ret());
    assertEquals("batch-7", env.envid());
    assertEquals("bus", env.listener());
    assertEquals(BodyType.SEVEN_BIT, env.body());
    assertFalse(env.smtpUtf8());
  }

  @Test
  void missingMessageIdAndDateAreAddedAndTheTagGoesIntoAHeader() throws Exception {
    String bare = "From: app@example.test\r\nSubject: no id\r\n\r\nhi\r\n";
    String id = await(hermod.submit(request(bare).put("tag", "order-42"))).getString("queueId");

    String rest = afterReceived(text(hermod.spooled(id)));
    assertTrue(rest.endsWith(bare), rest);
    String added = rest.substring(0, rest.length() - bare.length());
    assertTrue(added.matches("X-Hermod-Tag: order-42\r\nMessage-ID: <" + id + "@mx\\.hermod\\.test>\r\n"
        + "Date: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\r\n"), added);
    JsonObject parsed = PythonEmail.parse(hermod.spooled(id));
    assertEquals(new JsonArray(), parsed.getJsonArray("defects"));
    assertEquals("order-42", parsed.getJsonObject("headers").getString("x-hermod-tag"));
  }

  @Test
  void unixLineEndsBecomeCrlfAndAnUnterminatedLastLineIsTerminated() throws Exception {
    String id = await(hermod.submit(request("Subject: lf\nMessage-ID: <a@b>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\nx\ny")))
        .getString("queueId");
    assertEquals("Subject: lf\r\nMessage-ID: <a@b>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\nx\r\ny\r\n",
        afterReceived(text(hermod.spooled(id))));
  }

  @Test
  void base64OctetsAreSpooledExactlyAndEightBitIsNoted() throws Exception {
    byte[] latin1 = "Message-ID: <l@x>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\ncaf\u00e9\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    JsonObject req = request("x").put("rawBase64", java.util.Base64.getEncoder().encodeToString(latin1));
    req.remove("raw");
    String id = await(hermod.submit(req)).getString("queueId");
    byte[] spooled = hermod.spooled(id);
    assertArrayEquals(latin1, Arrays.copyOfRange(spooled, spooled.length - latin1.length, spooled.length));
    assertEquals(BodyType.EIGHT_BIT_MIME, await(hermod.spool.load(id)).body());
  }

  @Test
  void structuredMessageIsRenderedAndParses() throws Exception {
    MailMessage mail = new MailMessage().setFrom("App <app@example.test>").setTo("bob@remote.test")
        .setBcc("hidden@remote.test").setSubject("Caf\u00e9 report").setText("Hello Bob,\r\nthe report.\r\n")
        .setHtml("<p>Hello Bob</p>").addHeader("X-Campaign", "spring")
        .setAttachment(MailAttachment.create().setName("r.csv").setContentType("text/csv")
            .setData(io.vertx.core.buffer.Buffer.buffer("a,b\n1,2\n")));
    JsonObject req = new JsonObject().put("from", "bounce@example.test")
        .put("to", new JsonArray().add("bob@remote.test").add("hidden@remote.test")).put("message", mail.toJson())
        .put("tag", "t1");
    JsonObject reply = await(hermod.submit(req));
    assertEquals(2, reply.getInteger("recipients"));
    byte[] spooled = hermod.spooled(reply.getString("queueId"));

    // Every line ends with CRLF: no bare LF survived the rendering.
    String s = text(spooled);
    assertEquals(s.split("\n", -1).length, s.split("\r\n", -1).length, "bare LF in " + s);

    JsonObject parsed = PythonEmail.parse(spooled);
    assertEquals(new JsonArray(), parsed.getJsonArray("defects"));
    JsonObject headers = parsed.getJsonObject("headers");
    assertEquals("received", parsed.getJsonArray("names").getString(0));
    assertEquals("App <app@example.test>", headers.getString("from"));
    assertEquals("Caf\u00e9 report", headers.getString("subject"));
    assertEquals("spring", headers.getString("x-campaign"));
    assertEquals("t1", headers.getString("x-hermod-tag"));
    assertTrue(headers.containsKey("message-id") && headers.containsKey("date"), headers.encode());
    assertNull(headers.getString("bcc"), "Bcc must not be rendered");
    assertEquals(1, countNames(parsed, "message-id"), "the encoder's Message-ID is kept, none added");
    assertEquals(1, countNames(parsed, "date"));

    JsonArray parts = parsed.getJsonArray("parts");
    assertEquals(3, parts.size(), parts.encode());
    assertEquals("text/plain", parts.getJsonObject(0).getString("type"));
    assertEquals("Hello Bob,\nthe report.\n", parts.getJsonObject(0).getString("content").replace("\r\n", "\n"));
    assertEquals("text/html", parts.getJsonObject(1).getString("type"));
    assertEquals("r.csv", parts.getJsonObject(2).getString("filename"));
    assertEquals("a,b\n1,2\n", parts.getJsonObject(2).getString("content"));
  }

  private static long countNames(JsonObject parsed, String name) {
    return parsed.getJsonArray("names").stream().filter(name::equals).count();
  }

  @Test
  void nonAsciiAddressesNeedSmtpUtf8() throws Exception {
    JsonObject req = request(MESSAGE).put("to", new JsonArray().add("j\u00f6rg@b\u00fccher.test"));
    String id = await(hermod.submit(req)).getString("queueId");
    assertTrue(await(hermod.spool.load(id)).smtpUtf8());
  }

  @Test
  void badRequestsAreRefusedWith400AndLeaveNothingInTheSpool() throws Exception {
    hermod.refused(request(MESSAGE).put("from", "not an address"), 400);
    hermod.refused(request(MESSAGE).put("from", ""), 400);
    hermod.refused(request(MESSAGE).putNull("from"), 400);
    hermod.refused(request(MESSAGE).put("to", new JsonArray().add("bob@remote.test> NOTIFY=NEVER")), 400);
    hermod.refused(request(MESSAGE).put("to", new JsonArray().add("postmaster")), 400);
    hermod.refused(request(MESSAGE).put("to", new JsonArray().add("bob@remote.test\r\nRCPT TO:<x@y.test>")), 400);
    hermod.refused(request(MESSAGE).put("to", new JsonArray()), 400);
    hermod.refused(request(MESSAGE).put("to", "bob@remote.test"), 400);
    String tooMany = hermod.refused(request(MESSAGE).put("to", new JsonArray()
        .add("a@r.test").add("b@r.test").add("c@r.test").add("d@r.test")), 400);
    assertTrue(tooMany.contains("too many recipients"), tooMany);
    hermod.refused(request(MESSAGE).put("dsn", new JsonObject().put("ret", "BODY")), 400);
    hermod.refused(request(MESSAGE).put("dsn", new JsonObject().put("notify", new JsonArray().add("NEVER").add("DELAY"))), 400);
    hermod.refused(request(MESSAGE).put("tag", "a\r\nBcc: x@y.test"), 400);
    hermod.refused(request(MESSAGE).put("message", new JsonObject()), 400);
    hermod.refused(new JsonObject().put("from", "a@b.test").put("to", new JsonArray().add("c@d.test")), 400);
    hermod.refused(request("Subject: x\r\n\r\nmixed\nline ends\r\n"), 400);
    hermod.refused(request("Subject: x\r\n\r\nbare\rCR\r\n"), 400);
    hermod.refused(request("Subject: x\r\n\r\n" + "y".repeat(1200) + "\r\n"), 400);
    hermod.refused(new JsonObject().put("from", "a@b.test").put("to", new JsonArray().add("c@d.test"))
        .put("message", new MailMessage().setFrom("a@b.test").setSubject("x\nBcc: victim@d.test").setText("t").toJson()), 400);
    hermod.refused(new JsonObject().put("from", "a@b.test").put("to", new JsonArray().add("c@d.test"))
        .put("message", new MailMessage().setText("no From").toJson()), 400);
    assertEquals(List.of(), await(hermod.spool.list()));
  }

  @Test
  void aBodyThatIsNotJsonIsRefused(Vertx vertx) throws Exception {
    Throwable err = SubmitFixture.awaitFailure(vertx.eventBus().request(Addresses.SUBMIT, "hello"));
    assertEquals(400, ((io.vertx.core.eventbus.ReplyException) err).failureCode());
  }

  @Test
  void anOversizedMessageIsRefusedWith413() throws Exception {
    hermod.refused(request("Subject: big\r\n\r\n" + "0123456789\r\n".repeat(400)), 413);
    JsonObject b64 = request("x").put("rawBase64", java.util.Base64.getEncoder().encodeToString(new byte[5000]));
    b64.remove("raw");
    hermod.refused(b64, 413);
    // LF-only text that fits, but not once every LF became CRLF: the spooled size counts.
    hermod.refused(request("Subject: big\n\n" + "0123456789\n".repeat(360)), 413);
    assertEquals(List.of(), await(hermod.spool.list()));
  }

  @Test
  void overTheHighWaterMarkTheAnswerIs503() throws Exception {
    hermod.spool.overHighWater(true);
    String msg = hermod.refused(request(MESSAGE), 503);
    assertTrue(msg.startsWith("retry later"), msg);
    hermod.spool.overHighWater(false);
    await(hermod.submit(request(MESSAGE)));
  }

  @Test
  void theReplyComesOnlyAfterTheCommitAndThenTheRouterIsTriggered(Vertx vertx) throws Exception {
    io.vertx.core.Promise<String> trigger = io.vertx.core.Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.ROUTER_TRIGGER, m -> trigger.tryComplete(m.body().getString("id")))
        .completion());
    hermod.spool.holdCommits();
    Future<JsonObject> reply = hermod.submit(request(MESSAGE));
    hermod.spool.awaitHeldCommits(1);

    assertFalse(reply.isComplete(), "replied before the commit");
    assertEquals(List.of(), await(hermod.spool.list()));
    assertFalse(trigger.future().isComplete(), "router triggered before the commit");

    hermod.spool.releaseCommits();
    String id = await(reply).getString("queueId");
    assertTrue(await(hermod.spool.list()).contains(id));
    assertEquals(id, await(trigger.future()));
  }
}
