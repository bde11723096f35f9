package io.hermod.delivery;

import io.hermod.smtp.ServerReply;
import io.hermod.testing.PeerAction;
import io.hermod.testing.PeerSession;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.ScriptedSmtpPeer.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmtpClientSessionTest {

  private static final ClientOptions OPTIONS = ClientOptions.defaults("client.test")
      .withTimeouts(StageTimeouts.uniform(5_000));

  private Vertx vertx;
  private ScriptedSmtpPeer peer;
  private NetClient netClient;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.peer = new ScriptedSmtpPeer(vertx);
    this.netClient = vertx.createNetClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      assertNoConnectionLeft();
    } finally {
      await(netClient.close());
      await(peer.close());
    }
  }

  /** Every test ends with the client's sockets closed (QUIT or a failure path): the peer sees them go. */
  private void assertNoConnectionLeft() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (peer.openSessions() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, peer.openSessions(), "connections left open");
  }

  // ---- helpers ----

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  private static SmtpClientException awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(SmtpClientException.class, e.getCause());
    }
    throw new AssertionError("expected a failure");
  }

  private SmtpClientSession connect(ClientOptions options) throws Exception {
    await(peer.start());
    return await(SmtpClientSession.connect(vertx, netClient, options, "localhost", peer.address()));
  }

  private Future<SmtpClientSession> connectFuture(ClientOptions options) throws Exception {
    await(peer.start());
    return SmtpClientSession.connect(vertx, netClient, options, "localhost", peer.address());
  }

  private static Transaction tx(Buffer content, String... rcpts) {
    return new Transaction("sender@client.test", java.util.Arrays.stream(rcpts).map(TxRecipient::of).toList(), "",
        content.length(), false, ContentSource.ofBuffer(content));
  }

  /** Lines that start with dots, 8-bit bytes, and enough of it to need several chunks and drains. */
  private static Buffer trickyMessage(int bodyLines) {
    Buffer b = Buffer.buffer("Subject: dots\r\nX-8bit: caf\u00e9\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    b.appendString(".\r\n..\r\n.leading dot\r\n");
    for (int i = 0; i < bodyLines; i++) {
      b.appendString((i % 7 == 0 ? "." : "") + "line " + i + " " + "x".repeat(60) + "\r\n");
    }
    b.appendBytes(new byte[] {(byte) 0xff, (byte) 0x80, 0, '\r', '\n'});
    return b.appendString(".\r\n");
  }

  private static List<String> codes(TransactionResult result) {
    return result.recipients().stream().map(r -> r.reply().toString()).toList();
  }

  private static List<String> batchWith(PeerSession session, String prefix) {
    return session.commandBatches().stream().filter(b -> b.stream().anyMatch(c -> c.startsWith(prefix)))
        .findFirst().orElseThrow();
  }

  // ---- tests ----

  /**
   * The last chunk goes out with the end marker (joined when small, written before it when big): every size
   * around the chunk size and the join threshold arrives byte for byte, dots stuffed and unstuffed, one message
   * after another on one session.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, TransactionRunner.JOIN_LAST_CHUNK_BYTES - 1,
      TransactionRunner.JOIN_LAST_CHUNK_BYTES, TransactionRunner.JOIN_LAST_CHUNK_BYTES + 1,
      ContentSource.CHUNK_SIZE - 1, ContentSource.CHUNK_SIZE, ContentSource.CHUNK_SIZE + 1,
      ContentSource.CHUNK_SIZE + TransactionRunner.JOIN_LAST_CHUNK_BYTES + 1, 3 * ContentSource.CHUNK_SIZE + 7})
  void everySizeArrivesExactlyWithItsEndMarker(int size) throws Exception {
    peer.capabilities("PIPELINING", "SIZE 100000000");
    SmtpClientSession session = connect(OPTIONS);
    java.util.List<Buffer> sent = new java.util.ArrayList<>();
    for (String start : List.of(".", "x")) { // a chunk that needs stuffing, and one that does not
      StringBuilder text = new StringBuilder();
      while (text.length() < size) {
        text.append(start).append("y".repeat(70)).append("\r\n");
      }
      Buffer message = Buffer.buffer(text.substring(0, size)); // may end without CRLF: finish() adds it
      sent.add(message);
      assertEquals(250, await(session.send(tx(message, "a@peer.test"))).dataReply().code());
    }
    for (int i = 0; i < sent.size(); i++) {
      Buffer expected = sent.get(i);
      if (expected.length() > 0 && !expected.toString().endsWith("\r\n")) {
        expected = expected.copy().appendString("\r\n");
      }
      assertEquals(expected, peer.messages().get(i).content(), "message " + i + " of " + size + " bytes");
    }
    await(session.quit());
  }

  @Test
  void deliversBytesExactlyWithPipelining() throws Exception {
    peer.capabilities("PIPELINING", "SIZE 100000000", "8BITMIME", "ENHANCEDSTATUSCODES");
    SmtpClientSession session = connect(OPTIONS);
    Buffer message = trickyMessage(20_000); // ~1.4 MB
    TransactionResult result = await(session.send(tx(message, "a@peer.test", "b@peer.test")));

    assertEquals(List.of("250 2.0.0 queued", "250 2.0.0 queued"), codes(result));
    assertEquals(250, result.mailReply().code());
    assertEquals(250, result.dataReply().code());
    assertTrue(result.connectionUsable());
    ReceivedMessage got = peer.messages().get(0);
    assertEquals(message, got.content());
    assertEquals("MAIL FROM:<sender@client.test> SIZE=" + message.length(), got.mailFrom());
    assertEquals(List.of("RCPT TO:<a@peer.test>", "RCPT TO:<b@peer.test>"), got.rcptTo());
    assertFalse(got.bdat());

    PeerSession ps = peer.sessions().get(0);
    assertEquals(List.of("MAIL FROM:<sender@client.test> SIZE=" + message.length(), "RCPT TO:<a@peer.test>",
        "RCPT TO:<b@peer.test>", "DATA"), batchWith(ps, "MAIL"));
    await(session.quit());
    assertEquals("QUIT", ps.commands().get(ps.commands().size() - 1));
    assertFalse(session.isUsable());
  }

  @Test
  void oneCommandAtATimeWithoutPipelining() throws Exception {
    SmtpClientSession session = connect(OPTIONS);
    Buffer message = Buffer.buffer("Subject: x\r\n\r\nhello\r\n");
    TransactionResult result = await(session.send(tx(message, "a@peer.test", "b@peer.test")));

    assertEquals(List.of("250 2.0.0 queued", "250 2.0.0 queued"), codes(result));
    PeerSession ps = peer.sessions().get(0);
    assertEquals(List.of("MAIL FROM:<sender@client.test>"), batchWith(ps, "MAIL"));
    assertEquals(List.of("RCPT TO:<a@peer.test>"), batchWith(ps, "RCPT TO:<a"));
    assertEquals(List.of("RCPT TO:<b@peer.test>"), batchWith(ps, "RCPT TO:<b"));
    assertEquals(List.of("DATA"), batchWith(ps, "DATA"));
    assertEquals(message, peer.messages().get(0).content());
    await(session.quit());
  }

  @Test
  void refusedRecipientKeepsItsRcptReply() throws Exception {
    peer.capabilities("PIPELINING").on("RCPT TO:<bad@", "550 5.1.1 no such user");
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "good@peer.test", "bad@peer.test")));

    assertEquals(List.of("250 2.0.0 queued", "550 5.1.1 no such user"), codes(result));
    assertFalse(result.recipients().get(1).delivered());
    assertEquals(List.of("RCPT TO:<good@peer.test>"), peer.messages().get(0).rcptTo());
    await(session.quit());
  }

  @Test
  void transientRcptFailureSendsNoBodyAndResets() throws Exception {
    peer.on("RCPT", "451 4.3.0 try later", "250 2.1.5 ok");
    SmtpClientSession session = connect(OPTIONS);
    Buffer message = Buffer.buffer("hi\r\n");
    TransactionResult first = await(session.send(tx(message, "a@peer.test")));

    assertEquals(List.of("451 4.3.0 try later"), codes(first));
    assertTrue(first.recipients().get(0).reply().isTransient());
    assertNull(first.dataReply());
    assertTrue(first.connectionUsable());
    assertTrue(peer.messages().isEmpty());
    List<String> commands = peer.sessions().get(0).commands();
    assertFalse(commands.contains("DATA"));
    assertEquals("RSET", commands.get(commands.size() - 1));

    // The same connection then delivers (the peer's sequence answers 250 now).
    TransactionResult second = await(session.send(tx(message, "a@peer.test")));
    assertEquals(List.of("250 2.0.0 queued"), codes(second));
    await(session.quit());
  }

  @Test
  void pipelinedDataIsEndedWhenNoRecipientWasAccepted() throws Exception {
    // A broken server that answers 354 although it refused every RCPT: the client sends an empty message.
    peer.capabilities("PIPELINING").on("RCPT", "550 5.1.1 no").on("DATA", "354 go on");
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("secret\r\n"), "a@peer.test")));

    assertEquals(List.of("550 5.1.1 no"), codes(result));
    assertEquals(0, peer.messages().get(0).content().length());
    assertTrue(result.connectionUsable());
    await(session.quit());
  }

  @Test
  void rejectionAfterDataAppliesToAcceptedRecipients() throws Exception {
    peer.capabilities("PIPELINING").afterData("552 5.3.4 message too big").on("RCPT TO:<b@", "550 5.1.1 no");
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test", "b@peer.test")));

    assertEquals(List.of("552 5.3.4 message too big", "550 5.1.1 no"), codes(result));
    assertEquals(552, result.dataReply().code());
    assertTrue(result.connectionUsable());
    await(session.quit());
  }

  @Test
  void refusedDataAppliesToAcceptedRecipientsAndResets() throws Exception {
    peer.capabilities("PIPELINING").on("DATA", "554 5.5.1 no data for you");
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));

    assertEquals(List.of("554 5.5.1 no data for you"), codes(result));
    assertNull(result.dataReply());
    assertTrue(result.connectionUsable());
    List<String> commands = peer.sessions().get(0).commands();
    assertEquals("RSET", commands.get(commands.size() - 1));
    await(session.quit());
  }

  @Test
  void refusedMailAppliesToEveryRecipient() throws Exception {
    peer.capabilities("PIPELINING").on("MAIL", "553 5.1.8 bad sender");
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test", "b@peer.test")));

    assertEquals(List.of("553 5.1.8 bad sender", "553 5.1.8 bad sender"), codes(result));
    assertTrue(peer.messages().isEmpty());
    await(session.quit());
  }

  @Test
  void serviceClosingOnRcptStandsForTheRest() throws Exception {
    peer.on("RCPT TO:<a@", "250 ok").on("RCPT", PeerAction.reply("421 4.3.2 shutting down"), PeerAction.drop());
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test", "b@peer.test",
        "c@peer.test")));

    // a was accepted but the body never went: the 421 is its outcome too.
    assertEquals(List.of("250 ok", "421 4.3.2 shutting down", "421 4.3.2 shutting down"), codes(result));
    assertFalse(result.connectionUsable());
    assertFalse(session.isUsable());
    assertTrue(peer.messages().isEmpty());
  }

  @Test
  void greeting421FailsTheConnect() throws Exception {
    peer.greeting("421 4.3.2 too busy");
    SmtpClientException e = awaitFailure(connectFuture(OPTIONS));
    assertEquals(SmtpClientException.Kind.GREETING_REJECTED, e.kind());
    assertEquals(421, e.reply().code());
    assertEquals("421 4.3.2 too busy", e.asReply().toString());
  }

  @Test
  void greeting554IsAnsweredWithQuit() throws Exception {
    peer.greeting("554 5.7.1 no service for you");
    SmtpClientException e = awaitFailure(connectFuture(OPTIONS));
    assertEquals(SmtpClientException.Kind.GREETING_REJECTED, e.kind());
    assertTrue(e.asReply().isPermanent());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (peer.sessions().get(0).commands().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("QUIT"), peer.sessions().get(0).commands());
  }

  @Test
  void malformedReplyIsAProtocolError() throws Exception {
    peer.on("MAIL", "hello, I am not SMTP");
    SmtpClientSession session = connect(OPTIONS);
    SmtpClientException e = awaitFailure(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));
    assertEquals(SmtpClientException.Kind.PROTOCOL_ERROR, e.kind());
    assertEquals("4.5.0", e.asReply().enhancedStatus());
    assertFalse(session.isUsable());
  }

  @Test
  void serverClosingAnIdleSessionGivesATypedFailure() throws Exception {
    SmtpClientSession session = connect(OPTIONS);
    assertEquals(List.of("250 2.0.0 queued"), codes(await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")))));
    peer.dropConnections();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (session.isUsable() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    SmtpClientException e = awaitFailure(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));
    assertEquals(SmtpClientException.Kind.CONNECTION_DROPPED, e.kind());
  }

  @Test
  void ehloRefusedFallsBackToHelo() throws Exception {
    peer.capabilities("PIPELINING").on("EHLO", "502 5.5.1 no ESMTP here");
    SmtpClientSession session = connect(OPTIONS);
    assertFalse(session.capabilities().pipelining());
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));
    assertEquals(List.of("250 2.0.0 queued"), codes(result));
    assertEquals("HELO client.test", peer.sessions().get(0).commands().get(1));
    await(session.quit());
  }

  @Test
  void dropInTheMiddleOfDataFailsTheAttempt() throws Exception {
    peer.capabilities("PIPELINING").dropDuringData(10_000);
    SmtpClientSession session = connect(OPTIONS);
    SmtpClientException e = awaitFailure(session.send(tx(trickyMessage(50_000), "a@peer.test")));

    assertEquals(SmtpClientException.Kind.CONNECTION_DROPPED, e.kind());
    assertTrue(e.stage() == Stage.DATA_BLOCK || e.stage() == Stage.DATA_END, e.stage().name());
    assertEquals("4.4.2", e.asReply().enhancedStatus());
    assertFalse(session.isUsable());
    assertTrue(peer.messages().isEmpty());
  }

  @Test
  void silentServerTimesOut() throws Exception {
    peer.on("MAIL", PeerAction.silence());
    SmtpClientSession session = connect(ClientOptions.defaults("client.test").withTimeouts(StageTimeouts.uniform(300)));
    SmtpClientException e = awaitFailure(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));

    assertEquals(SmtpClientException.Kind.TIMEOUT, e.kind());
    assertEquals(Stage.MAIL, e.stage());
    assertEquals("4.4.1", e.asReply().enhancedStatus());
    assertFalse(session.isUsable());
  }

  @Test
  void tricklingGreetingStillTimesOut() throws Exception {
    // One byte every 50 ms: bytes keep coming, but the whole reply takes longer than the stage allows.
    peer.replyByteDelay(50);
    SmtpClientException e = awaitFailure(
        connectFuture(ClientOptions.defaults("client.test").withTimeouts(StageTimeouts.uniform(400))));
    assertEquals(SmtpClientException.Kind.TIMEOUT, e.kind());
    assertEquals(Stage.GREETING, e.stage());
  }

  @Test
  void slowServerWithinTheTimeoutsWorks() throws Exception {
    peer.replyByteDelay(2).capabilities("PIPELINING");
    SmtpClientSession session = connect(OPTIONS);
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));
    assertEquals(List.of("250 2.0.0 queued"), codes(result));
    await(session.quit());
  }

  @Test
  void startTlsIsUsedWhenOffered() throws Exception {
    peer.startTls(TlsMode.REAL).capabilities("PIPELINING");
    SmtpClientSession session = connect(OPTIONS);
    assertTrue(session.isTls());
    assertFalse(session.capabilities().startTls());
    Buffer message = trickyMessage(100);
    TransactionResult result = await(session.send(tx(message, "a@peer.test")));

    assertEquals(List.of("250 2.0.0 queued"), codes(result));
    ReceivedMessage got = peer.messages().get(0);
    assertTrue(got.tls());
    assertEquals(message, got.content());
    PeerSession ps = peer.sessions().get(0);
    assertTrue(ps.tls());
    assertEquals(List.of("EHLO client.test", "STARTTLS", "EHLO client.test"), ps.commands().subList(0, 3));
    await(session.quit());
  }

  @Test
  void failedHandshakeFallsBackToPlaintextOnANewConnection() throws Exception {
    peer.startTls(TlsMode.BROKEN);
    SmtpClientSession session = connect(OPTIONS);
    assertFalse(session.isTls());
    TransactionResult result = await(session.send(tx(Buffer.buffer("hi\r\n"), "a@peer.test")));

    assertEquals(List.of("250 2.0.0 queued"), codes(result));
    List<PeerSession> sessions = peer.sessions();
    assertEquals(2, sessions.size());
    assertTrue(sessions.get(0).commands().contains("STARTTLS"));
    assertFalse(sessions.get(1).commands().contains("STARTTLS"));
    assertFalse(peer.messages().get(0).tls());
    await(session.quit());
  }

  @Test
  void failedHandshakeFailsWhenTlsIsRequired() throws Exception {
    peer.startTls(TlsMode.BROKEN);
    SmtpClientException e = awaitFailure(connectFuture(OPTIONS.withTlsPolicy(io.hermod.tlspolicy.TlsLevel.ENCRYPT)));
    assertEquals(SmtpClientException.Kind.TLS_FAILED, e.kind());
    assertEquals(1, peer.sessions().size());
  }

  @Test
  void missingStartTlsFailsWhenTlsIsRequired() throws Exception {
    SmtpClientException e = awaitFailure(connectFuture(OPTIONS.withTlsPolicy(io.hermod.tlspolicy.TlsLevel.ENCRYPT)));
    assertEquals(SmtpClientException.Kind.TLS_FAILED, e.kind());
    assertEquals("4.7.4", e.asReply().enhancedStatus());
  }

  @Test
  void tooBigForTheServerIsRefusedWithoutATransaction() throws Exception {
    peer.capabilities("SIZE 1000");
    SmtpClientSession session = connect(OPTIONS);
    Buffer big = Buffer.buffer("x".repeat(5000) + "\r\n");
    TransactionResult result = await(session.send(tx(big, "a@peer.test", "b@peer.test")));

    assertNull(result.mailReply());
    assertFalse(result.sentToRemote());
    assertTrue(result.recipients().stream().allMatch(r -> r.reply().code() == 552
        && "5.3.4".equals(r.reply().enhancedStatus())));
    assertTrue(result.connectionUsable());
    assertTrue(peer.sessions().get(0).commands().stream().noneMatch(c -> c.startsWith("MAIL")));
    await(session.quit());
  }

  @Test
  void smtpUtf8NeededButNotOffered() throws Exception {
    peer.capabilities("PIPELINING", "8BITMIME");
    SmtpClientSession session = connect(OPTIONS);
    Buffer message = Buffer.buffer("Subject: \u00fcber\r\n\r\nhi\r\n", "UTF-8");
    Transaction utf8 = new Transaction("j\u00f6rg@client.test", List.of(TxRecipient.of("a@peer.test")),
        "BODY=8BITMIME SMTPUTF8", message.length(), true, ContentSource.ofBuffer(message));
    TransactionResult result = await(session.send(utf8));

    assertEquals("5.6.7", result.recipients().get(0).reply().enhancedStatus());
    assertTrue(result.recipients().get(0).reply().isPermanent());
    assertTrue(peer.sessions().get(0).commands().stream().noneMatch(c -> c.startsWith("MAIL")));
    await(session.quit());
  }

  @Test
  void parametersOfOfferedExtensionsAreSent() throws Exception {
    peer.capabilities("8BITMIME", "DSN", "SIZE");
    SmtpClientSession session = connect(OPTIONS);
    Buffer message = Buffer.buffer("hi\r\n");
    Transaction t = new Transaction("s@client.test", List.of(new TxRecipient("a@peer.test",
        "NOTIFY=FAILURE ORCPT=rfc822;a@peer.test")), "BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=q1", 4, false,
        ContentSource.ofBuffer(message));
    await(session.send(t));
    ReceivedMessage got = peer.messages().get(0);
    assertEquals("MAIL FROM:<s@client.test> SIZE=4 BODY=8BITMIME RET=HDRS ENVID=q1", got.mailFrom());
    assertEquals(List.of("RCPT TO:<a@peer.test> NOTIFY=FAILURE ORCPT=rfc822;a@peer.test"), got.rcptTo());
    await(session.quit());
  }

  @Test
  void twoMessagesOnOneConnectionWithReset() throws Exception {
    peer.capabilities("PIPELINING");
    SmtpClientSession session = connect(OPTIONS);
    Buffer first = Buffer.buffer("first\r\n");
    Buffer second = Buffer.buffer("second\r\n");
    assertEquals(List.of("250 2.0.0 queued"), codes(await(session.send(tx(first, "a@peer.test")))));
    ServerReply rset = await(session.reset());
    assertEquals(250, rset.code());
    assertEquals(List.of("250 2.0.0 queued"), codes(await(session.send(tx(second, "b@peer.test")))));
    await(session.quit());

    assertEquals(1, peer.sessions().size());
    assertEquals(List.of(first, second), peer.messages().stream().map(ReceivedMessage::content).toList());
    assertTrue(peer.sessions().get(0).commands().contains("RSET"));
  }

  @Test
  void bdatWhenChunkingIsOffered() throws Exception {
    peer.capabilities("PIPELINING", "CHUNKING", "8BITMIME");
    SmtpClientSession session = connect(OPTIONS);
    Buffer message = trickyMessage(3_000);
    TransactionResult result = await(session.send(tx(message, "a@peer.test")));

    assertEquals(List.of("250 2.0.0 queued"), codes(result));
    ReceivedMessage got = peer.messages().get(0);
    assertTrue(got.bdat());
    assertEquals(message, got.content());
    List<String> commands = peer.sessions().get(0).commands();
    assertTrue(commands.contains("BDAT " + message.length() + " LAST"));
    assertFalse(commands.contains("DATA"));
    await(session.quit());
  }

  @Test
  void fileContentFromAnOffset(@TempDir Path dir) throws Exception {
    byte[] header = "SPOOL-ENVELOPE-RECORDS\n".getBytes(StandardCharsets.US_ASCII);
    Buffer message = trickyMessage(5_000); // several 64 KiB reads
    Path file = dir.resolve("q1");
    Buffer onDisk = Buffer.buffer(header).appendBuffer(message).appendString("TRAILER");
    Files.write(file, onDisk.getBytes());

    peer.capabilities("PIPELINING");
    SmtpClientSession session = connect(OPTIONS);
    Transaction t = new Transaction("s@client.test", List.of(TxRecipient.of("a@peer.test")), "", message.length(),
        false, ContentSource.ofFile(file, header.length, message.length()));
    TransactionResult result = await(session.send(t));

    assertEquals(List.of("250 2.0.0 queued"), codes(result));
    assertEquals(message, peer.messages().get(0).content());
    await(session.quit());
  }

  @Test
  void unreadableFileFailsAndClosesWithoutSendingTheEndMarker(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("short");
    Files.write(file, "only a few bytes\r\n".getBytes(StandardCharsets.US_ASCII));
    SmtpClientSession session = connect(OPTIONS);
    Transaction t = new Transaction("s@client.test", List.of(TxRecipient.of("a@peer.test")), "", 1000, false,
        ContentSource.ofFile(file, 0, 1000));
    SmtpClientException e = awaitFailure(session.send(t));

    assertEquals(SmtpClientException.Kind.CONTENT_FAILED, e.kind());
    assertFalse(session.isUsable());
    assertTrue(peer.messages().isEmpty());
  }
}
