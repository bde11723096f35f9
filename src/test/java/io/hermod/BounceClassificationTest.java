package io.hermod;

import static io.hermod.ReliabilityFixture.message;
import static io.hermod.ReliabilityFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.api.DeliveryEvent;
import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.testing.LogCapture;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounce classes end to end: a real SMTP peer refuses one recipient for good and the other for now, and the
 * events on hermod.events and the delivery log lines carry the classes (docs/delivery.md "Bounce
 * classification"); the operator's rule file is read at start and comes first.
 */
class BounceClassificationTest {

  @TempDir
  Path temp;

  private Vertx peerVertx;
  private ScriptedSmtpPeer peer;
  private TestHermod hermod;
  private final Map<String, JsonObject> events = new ConcurrentHashMap<>();

  @BeforeEach
  void startPeer() {
    peerVertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(peerVertx)
        .on("RCPT TO:<gone@", "550 5.1.1 The email account that you tried to reach does not exist. Please try "
            + "double-checking the recipient's email address for typos or unnecessary spaces. - gsmtp")
        .on("RCPT TO:<full@", "452 4.2.2 The email account that you tried to reach is over quota. - gsmtp")
        .on("RCPT TO:<away@", "550 5.2.1 This mailbox is on a long vacation");
    peer.start().await();
  }

  @AfterEach
  void stopAll() {
    try {
      if (hermod != null) {
        hermod.close();
      }
    } finally {
      peer.close().await();
      peerVertx.close().await();
    }
  }

  /** Hermod routing peer.test to the peer, with no retry during the test, checking files every second. */
  private JsonObject overrides(JsonObject shaping) {
    return new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())))
        .put("delivery", new JsonObject().put("connectTimeoutSeconds", 5).put("commandTimeoutSeconds", 5))
        .put("shaping", shaping)
        .put("configReloadSeconds", 1);
  }

  private void startHermod(JsonObject shaping) {
    hermod = TestHermod.start(temp.resolve("spool"), overrides(shaping));
    hermod.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS,
        m -> events.put(m.body().getString("recipient"), m.body()));
  }

  private void send(List<String> recipients) throws Exception {
    events.clear();
    SmtpLineClient.transaction(hermod.port(), "alice@local.test", "", recipients,
        message("<bounce-classes-" + System.nanoTime() + "@client.test>", "classes"));
    waitUntil(() -> events.keySet().containsAll(recipients), "an event per recipient", 30);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void eventsAndLogLinesCarryTheBounceClass() throws Exception {
    try (LogCapture log = new LogCapture("io.hermod.delivery")) {
      startHermod(new JsonObject());
      send(List.of("gone@peer.test", "full@peer.test"));

      DeliveryEvent gone = DeliveryEvent.fromJson(events.get("gone@peer.test"));
      assertEquals("bounced", gone.outcome());
      assertEquals("5.1.1", gone.status());
      assertEquals("InvalidRecipient", gone.classification());
      DeliveryEvent full = DeliveryEvent.fromJson(events.get("full@peer.test"));
      assertEquals("deferred", full.outcome());
      assertEquals("4.2.2", full.status());
      assertEquals("QuotaIssues", full.classification());

      waitUntil(() -> log.messages().size() >= 2, "two delivery log lines", 10);
      String goneLine = line(log, "to=<gone@peer.test>");
      assertTrue(goneLine.contains(", dsn=5.1.1, class=InvalidRecipient, status=bounced (550 5.1.1 The email "
          + "account that you tried to reach does not exist."), goneLine);
      String fullLine = line(log, "to=<full@peer.test>");
      assertTrue(fullLine.contains(", dsn=4.2.2, class=QuotaIssues, status=deferred (452 4.2.2 The email account "
          + "that you tried to reach is over quota. - gsmtp)"), fullLine);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aDeliveryHasNoClassAndTheOperatorsRulesComeFirst() throws Exception {
    Path rules = temp.resolve("bounces.json");
    Files.writeString(rules, "{\"rules\": [{\"label\": \"TransientFailure\", \"status\": \"5\", \"regex\": \"vacation\"},"
        + " {\"label\": \"SpamBlock\", \"regex\": \"over quota\"}]}");
    try (LogCapture log = new LogCapture("io.hermod.delivery")) {
      startHermod(new JsonObject().put("bounceRulesFile", rules.toString()));
      send(List.of("away@peer.test", "full@peer.test", "bob@peer.test"));

      assertEquals("bounced", events.get("away@peer.test").getString("outcome"), "a label never changes the outcome");
      assertEquals("TransientFailure", events.get("away@peer.test").getString("classification"),
          "the operator's rule (the shipped ones say InactiveMailbox)");
      assertEquals("SpamBlock", events.get("full@peer.test").getString("classification"), "the operator's rule");
      JsonObject delivered = events.get("bob@peer.test");
      assertEquals("delivered", delivered.getString("outcome"));
      assertTrue(delivered.containsKey("classification"));
      assertNull(delivered.getString("classification"));

      waitUntil(() -> log.messages().size() >= 3, "three delivery log lines", 10);
      assertTrue(line(log, "to=<full@peer.test>").contains(", class=SpamBlock, status=deferred ("));
      String sent = line(log, "to=<bob@peer.test>");
      assertTrue(sent.contains(", dsn=2.0.0, status=sent (") && !sent.contains("class="), sent);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theRulesReloadWithTheConfigurationAndWhenTheFileChanges() throws Exception {
    try (LogCapture log = new LogCapture("io.hermod.shaping")) {
      startHermod(new JsonObject());
      send(List.of("full@peer.test"));
      assertEquals("QuotaIssues", events.get("full@peer.test").getString("classification"));

      Path rules = temp.resolve("bounces.json");
      Files.writeString(rules, "{\"rules\": [{\"label\": \"SpamBlock\", \"regex\": \"over quota\"}]}");
      JsonObject next = TestHermod.baseConfig(hermod.spoolDir)
          .mergeIn(overrides(new JsonObject().put("bounceRulesFile", rules.toString())), true);
      hermod.hermod.reload(ConfigLoader.fromJson(next)).await();
      send(List.of("full@peer.test"));
      assertEquals("SpamBlock", events.get("full@peer.test").getString("classification"), "after the reload");

      Files.writeString(rules, "{\"rules\": [{\"label\": \"PolicyRelated\", \"regex\": \"over quota\"}]}");
      waitUntil(() -> log.messages().stream().filter(m -> m.contains("now in force")).count() >= 2,
          "the changed file loaded", 20);
      send(List.of("full@peer.test"));
      assertEquals("PolicyRelated", events.get("full@peer.test").getString("classification"), "the file changed");

      Files.writeString(rules, "{\"rules\": [{\"label\": \"NoSuchLabel\", \"regex\": \"over quota\"}]}");
      waitUntil(() -> log.anyContains("keeping the running rules"), "the bad file refused", 20);
      send(List.of("full@peer.test"));
      assertEquals("PolicyRelated", events.get("full@peer.test").getString("classification"), "the running rules");
    }
  }

  @Test
  void aBadRuleFileStopsStartWithOneLine() throws Exception {
    Path rules = temp.resolve("bad.json");
    Files.writeString(rules, "{\"rules\": [{\"label\": \"Bounced\", \"regex\": \"x\"}]}");
    ConfigException e = assertThrows(ConfigException.class,
        () -> startHermod(new JsonObject().put("bounceRulesFile", rules.toString())));
    assertTrue(e.getMessage().startsWith("config: shaping.bounceRulesFile: " + rules
        + ": rules[0].label: must be one of InvalidRecipient, "), e.getMessage());
  }

  private static String line(LogCapture log, String containing) {
    return log.messages().stream().filter(m -> m.contains(containing)).findFirst()
        .orElseThrow(() -> new AssertionError("no log line with " + containing + ": " + log.messages()));
  }
}
