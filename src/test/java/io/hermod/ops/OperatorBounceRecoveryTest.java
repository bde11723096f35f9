package io.hermod.ops;

import static io.hermod.ops.OperatorBounceDsnTest.awaitTrue;
import static io.hermod.ops.OperatorBounceDsnTest.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.routing.OperatorBounce;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.config.ConfigLoader;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;
import io.hermod.testing.Ports;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash in the middle of an operator bounce: the spool is left exactly as the crash would leave it (the marked
 * envelope; or the marked envelope plus the committed DSN), then Hermod starts again on it. The DSN arrives once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorBounceRecoveryTest {

  @TempDir
  Path temp;

  private final Ports.Refusing remote = Ports.refusing(); // held across the test's restarts

  @AfterEach
  void releasePort() {
    remote.close();
  }

  @Test
  void aBounceMarkedBeforeTheCrashGetsItsDsnAfterTheRestart() throws Exception {
    Path mail = temp.resolve("mail");
    String id = deferredAndMarked(mail, false);
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(mail))) {
      Path inbox = mail.resolve("local.test/alice/new");
      awaitTrue(() -> files(inbox).size() == 1, "the DSN after the restart");
      String dsn = Files.readString(files(inbox).get(0), StandardCharsets.ISO_8859_1);
      assertTrue(dsn.contains("Final-Recipient: rfc822;bob@remote.test"), dsn);
      assertTrue(dsn.contains("Status: 5.0.0"), dsn);
      awaitTrue(() -> h.hermod.spool().list().await().isEmpty(), "original " + id + " removed, DSN delivered");
      assertEquals(1, files(inbox).size());
    }
  }

  @Test
  void aDsnCommittedBeforeTheCrashIsNotWrittenAgain() throws Exception {
    Path mail = temp.resolve("mail");
    deferredAndMarked(mail, true);
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(mail))) {
      Path inbox = mail.resolve("local.test/alice/new");
      awaitTrue(() -> h.hermod.spool().list().await().isEmpty(), "original removed, the DSN delivered");
      List<Path> arrived = files(inbox);
      assertEquals(1, arrived.size(), "one DSN only");
      assertTrue(Files.readString(arrived.get(0)).contains("committed before the crash"));
    }
  }

  /**
   * A message deferred by the unreachable peer, then, with Hermod down (as a crash leaves it: a running router
   * would see the change at once and finish the bounce itself), marked as step 1 of a bounce would (and its DSN
   * spooled).
   */
  private String deferredAndMarked(Path mail, boolean dsnCommitted) throws Exception {
    String id;
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(mail))) {
      id = Mail.send(h, "alice@local.test", "bob@remote.test");
      Http http = new Http(h.httpPort(), null);
      awaitTrue(() -> new JsonObject(http.get("/queue/" + id).body()).getString("state").equals("deferred"),
          "the first attempt deferred and recorded");
    }
    Vertx vertx = Vertx.vertx();
    Spool spool = new FileSpool(vertx, ConfigLoader.fromJson(TestHermod.baseConfig(temp.resolve("spool"))).spool());
    try {
      spool.recover().await();
      Envelope marked = OperatorBounce.marked(spool.load(id).await(), spool.newId());
      spool.update(marked).await();
      if (dsnCommitted) {
        Instant now = Instant.now();
        Envelope dsn = new Envelope(marked.bounceDsnId(), "",
            List.of(Recipient.pending("alice@local.test", null, EnumSet.of(DsnNotify.NEVER))), null, null,
            BodyType.SEVEN_BIT, false, null, null, null, "local", now, 0L, now, false, false);
        MessageWriter writer = spool.begin(dsn);
        writer.write(Buffer.buffer("Subject: the DSN committed before the crash\r\n\r\nbounced\r\n")).await();
        writer.commit(dsn).await();
      }
    } finally {
      spool.close().await();
      vertx.close().await();
    }
    return id;
  }

  /** A message the router could not work on is not looked at again during the test. */
  private JsonObject config(Path mail) {
    JsonObject json = OperatorBounceDsnTest.deferringConfig(mail, remote);
    json.getJsonObject("delivery").put("scanIntervalSeconds", 3600);
    return json;
  }
}
