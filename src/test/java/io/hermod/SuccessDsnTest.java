package io.hermod;

import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NOTIFY=SUCCESS (RFC 3461 §4.1, §5.2.2; RFC 3464 §2.3.3) end to end: a recipient relayed to a next hop without
 * DSN gets "Action: relayed", one delivered locally (Maildir) "Action: delivered"; one relayed to a next hop that
 * offers DSN gets nothing from us (NOTIFY went on with it), nor does one that did not ask.
 */
@Timeout(90)
class SuccessDsnTest {

  @TempDir
  Path temp;

  @Test
  void relayedToANextHopWithoutDsnAndDeliveredLocally() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    ScriptedSmtpPeer noDsn = new ScriptedSmtpPeer(peerVertx).start().await();
    ScriptedSmtpPeer withDsn = new ScriptedSmtpPeer(peerVertx).capabilities("DSN").start().await();
    JsonObject config = new JsonObject()
        .put("local", new JsonObject().put("transports", new JsonObject().put("local.test",
            new JsonObject().put("type", "maildir").put("directory", temp.resolve("mail").toString() + "/%u"))))
        .put("routing", new JsonObject().put("routes", new JsonObject()
            .put("nodsn.test", "[127.0.0.1]:" + noDsn.port())
            .put("dsn.test", "[127.0.0.1]:" + withDsn.port())));
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config)) {
      String original;
      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
        c.expect(220);
        c.send("EHLO client.test").expect(250);
        c.send("MAIL FROM:<alice@sender.test> ENVID=e1").expect(250);
        c.send("RCPT TO:<bob@nodsn.test> NOTIFY=SUCCESS").expect(250);
        c.send("RCPT TO:<carol@dsn.test> NOTIFY=SUCCESS,FAILURE").expect(250);
        c.send("RCPT TO:<dave@local.test> NOTIFY=SUCCESS").expect(250);
        c.send("RCPT TO:<erin@nodsn.test>").expect(250);
        c.send("DATA").expect(354);
        String queued = c.send("Subject: t\r\n\r\nbody\r\n.").expect(250);
        original = queued.substring(queued.lastIndexOf(' ') + 1).strip();
      }
      Spool spool = h.hermod.spool();
      Wait.until(() -> !spool.list().await().contains(original), "every recipient delivered", 60);
      assertTrue(withDsn.sessions().get(0).commands().contains("RCPT TO:<carol@dsn.test> NOTIFY=SUCCESS,FAILURE"),
          "NOTIFY passed on to the next hop that offers DSN: " + withDsn.sessions().get(0).commands());

      List<String> reports = new ArrayList<>();
      for (String id : spool.list().await()) {
        Envelope env = spool.load(id).await();
        assertEquals("", env.sender(), "only DSNs are left");
        assertEquals("alice@sender.test", env.recipients().get(0).address());
        Spool.Content content = spool.content(id).await();
        byte[] all = Files.readAllBytes(content.file());
        reports.add(new String(all, (int) content.offset(), (int) content.length(), StandardCharsets.UTF_8));
      }
      String all = String.join("\n----\n", reports);
      assertEquals(2, reports.size(), all);
      assertTrue(all.contains("Final-Recipient: rfc822;bob@nodsn.test\r\nAction: relayed\r\nStatus: 2.0.0"), all);
      assertTrue(all.contains("Final-Recipient: rfc822;dave@local.test\r\nAction: delivered\r\nStatus: 2.0.0"), all);
      assertTrue(all.contains("Original-Envelope-Id: e1"), all);
      assertTrue(!all.contains("carol@dsn.test") && !all.contains("erin@nodsn.test"), all);
    } finally {
      noDsn.close().await();
      withDsn.close().await();
      peerVertx.close().await();
    }
  }
}
