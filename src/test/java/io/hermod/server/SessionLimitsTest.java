package io.hermod.server;

import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection limits and graceful shutdown, which transcripts (one connection each) cannot show. */
class SessionLimitsTest {

  @TempDir
  Path temp;

  @Test
  void connectionsPerAddressAndInTotal() throws Exception {
    JsonObject limits = new JsonObject().put("limits",
        new JsonObject().put("maxConnectionsPerIp", 2).put("maxConnections", 3));
    try (TestHermod h = TestHermod.start(temp, limits);
         SmtpLineClient a = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port());
         SmtpLineClient b = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port())) {
      a.expect(220);
      b.expect(220);
      try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port())) {
        assertTrue(c.expect(421).startsWith("421 4.7.0 Too many connections from your address"));
        assertTrue(c.closedByServer());
      }
      try (SmtpLineClient d = SmtpLineClient.connectFrom("127.0.0.3", "127.0.0.1", h.port())) {
        d.expect(220);
        try (SmtpLineClient e = SmtpLineClient.connectFrom("127.0.0.4", "127.0.0.1", h.port())) {
          assertTrue(e.expect(421).startsWith("421 4.7.0 Too many connections,"));
        }
      }
      // A slot freed by QUIT is available again.
      a.send("QUIT").expect(221);
      assertTrue(a.closedByServer());
      boolean accepted = false;
      for (int i = 0; i < 50 && !accepted; i++) { // the server releases the slot when it sees the close
        try (SmtpLineClient f = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port())) {
          accepted = f.readReply().startsWith("220");
        }
        if (!accepted) {
          Thread.sleep(20);
        }
      }
      assertTrue(accepted, "a freed slot was not reused");
    }
  }

  @Test
  void gracefulShutdownLetsTheTransactionInFlightFinish() throws Exception {
    TestHermod h = TestHermod.start(temp, new JsonObject().put("shutdownGraceSeconds", 10));
    try (SmtpLineClient busy = SmtpLineClient.connect("127.0.0.1", h.port());
         SmtpLineClient idle = SmtpLineClient.connect("127.0.0.1", h.port())) {
      busy.expect(220);
      idle.expect(220);
      idle.send("EHLO idle.test").expect(250);
      busy.send("EHLO busy.test").expect(250);
      busy.send("MAIL FROM:<a@b.test>").expect(250);
      busy.send("RCPT TO:<c@local.test>").expect(250);
      busy.send("DATA").expect(354);
      busy.sendRaw("Subject: in flight\r\n\r\npart one\r\n".getBytes(StandardCharsets.US_ASCII));

      var stopped = h.hermod.stop(); // SIGTERM path
      // The idle session is closed with 421 4.3.2 within a tick; a new session is refused the same way.
      assertTrue(idle.expect(421).startsWith("421 4.3.2"));
      try (SmtpLineClient late = SmtpLineClient.connect("127.0.0.1", h.port())) {
        assertTrue(late.expect(421).startsWith("421 4.3.2"));
      }
      // The transaction in flight finishes and is acknowledged; the next transaction is refused.
      busy.sendRaw("part two\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(busy.expect(250).contains("queued as"));
      busy.send("MAIL FROM:<a@b.test>");
      assertTrue(busy.expect(421).startsWith("421 4.3.2"));
      stopped.await();
      assertEquals(1, h.hermod.spool().usage().messages());
    } finally {
      h.vertx.close().await();
    }
  }
}
