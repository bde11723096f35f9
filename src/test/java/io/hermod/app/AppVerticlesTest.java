package io.hermod.app;

import io.hermod.config.ConfigException;
import io.hermod.testing.LogCapture;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Application verticles deployed by Hermod from the "verticles" configuration (README "Your application and
 * Hermod"): started once Hermod is ready (their start() submits, and the mail reaches a real SMTP peer), stopped
 * before Hermod's own verticles (their stop() still submits, before the drain), and a failing start fails
 * Hermod's start, naming the entry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AppVerticlesTest {

  private static final String REPORT = "test.app.report";

  @TempDir
  Path temp;

  private Vertx peerVertx;
  private ScriptedSmtpPeer peer;

  @BeforeEach
  void startPeer() {
    peerVertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(peerVertx).start().await();
  }

  @AfterEach
  void stopPeer() {
    peer.close().await();
    peerVertx.close().await();
  }

  @Test
  void threeInstancesSubmitInStartAndAgainInStopBeforeHermodDrains() throws Exception {
    Path spool = temp.resolve("spool");
    Vertx vertx = Vertx.vertx();
    List<JsonObject> reports = reportsOn(vertx);
    JsonObject appConfig = appConfig();
    try (LogCapture log = new LogCapture("io.hermod")) {
      TestHermod t = TestHermod.start(vertx, spool, relayToPeer().put("verticles", new JsonArray()
          .add(new JsonObject().put("class", SubmittingVerticle.class.getName()).put("config", appConfig)
              .put("instances", 3))));
      try {
        // Hermod's start completes once the applications have started (each start() waits for the report's ack).
        List<JsonObject> started = phase(reports, "start");
        assertEquals(3, started.size(), reports.toString());
        assertEquals(3, started.stream().map(r -> r.getInteger("instance")).collect(Collectors.toSet()).size());
        for (JsonObject r : started) {
          assertTrue(r.containsKey("queueId"), r.encode());
          assertEquals(appConfig, r.getJsonObject("config"));
        }
        Wait.until(() -> tagsAtPeer().containsAll(tags(started)), "the start() messages at the peer", 20);
      } finally {
        t.close();
      }
      // Each stop() was answered by hermod.submit (and each waited for the report's ack before completing): the spool was still open and the submit verticle deployed.
      List<JsonObject> stopped = phase(reports, "stop");
      assertEquals(3, stopped.size(), reports.toString());
      stopped.forEach(r -> assertTrue(r.containsKey("queueId"), r.encode()));
      // And they stopped before the listeners drained.
      List<String> lines = log.messages();
      int lastAppStop = lastIndexOf(lines, "application verticle " + SubmittingVerticle.class.getName() + " stopped");
      int draining = lastIndexOf(lines, "draining:");
      assertTrue(lastAppStop >= 0 && lastAppStop < draining, String.join("\n", lines));
      // Nothing they submitted while stopping is lost: relayed before the stop or after a restart.
      try (TestHermod again = TestHermod.start(spool, relayToPeer())) {
        Wait.until(() -> tagsAtPeer().containsAll(tags(stopped)), "the stop() messages at the peer", 20);
      }
    }
  }

  @Test
  void aStartThatFailsFailsHermodsStartNamingTheEntryAndStopsTheOnesStartedBefore() throws Exception {
    Path spool = temp.resolve("spool");
    Vertx vertx = Vertx.vertx();
    List<JsonObject> reports = reportsOn(vertx);
    JsonObject verticles = relayToPeer().put("verticles", new JsonArray()
        .add(new JsonObject().put("class", SubmittingVerticle.class.getName()).put("config", appConfig()))
        .add(new JsonObject().put("class", FailingVerticle.class.getName())
            .put("config", new JsonObject().put("database", "db.example:5432"))));
    RuntimeException e = assertThrows(RuntimeException.class, () -> TestHermod.start(vertx, spool, verticles));
    assertTrue(e.getMessage().startsWith("application verticle verticles[1] (" + FailingVerticle.class.getName()
        + ") did not start: "), e.getMessage());
    assertTrue(e.getMessage().contains("no database at db.example:5432"), e.getMessage());
    // The first one had started, and was stopped (still able to submit) before Hermod undeployed itself.
    assertEquals(1, phase(reports, "start").size(), reports.toString());
    assertEquals(1, phase(reports, "stop").size(), reports.toString());
    assertTrue(phase(reports, "stop").get(0).containsKey("queueId"), reports.toString());
    // Nothing is held: the spool starts again, and what the stopping application submitted is relayed.
    try (TestHermod again = TestHermod.start(spool, relayToPeer())) {
      Wait.until(() -> tagsAtPeer().containsAll(tags(phase(reports, "stop"))), "the stop() message at the peer", 20);
    }
  }

  /** Its stop() may take shutdownGraceSeconds (2 s here); then Hermod drains and closes its spool anyway. */
  @Test
  void anApplicationThatNeverStopsCannotKeepHermodFromClosingItsSpool() throws Exception {
    Path spool = temp.resolve("spool");
    Vertx vertx = Vertx.vertx();
    try (LogCapture log = new LogCapture("io.hermod")) {
      TestHermod t = TestHermod.start(vertx, spool, new JsonObject().put("verticles", new JsonArray()
          .add(new JsonObject().put("class", NeverStoppingVerticle.class.getName()))));
      t.hermod.stop().await();
      assertTrue(log.anyContains("application verticles still stopping after 2 s (shutdownGraceSeconds); Hermod stops"
          + " anyway"), String.join("\n", log.messages()));
      assertTrue(log.anyContains("spool: closed"), String.join("\n", log.messages()));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    // The spool and its lock are free: another Hermod starts on it.
    TestHermod.start(spool, new JsonObject()).close();
  }

  @Test
  void aClassThatIsNotThereIsAConfigurationErrorNamingItsKey() {
    JsonObject missing = new JsonObject().put("verticles", new JsonArray()
        .add(new JsonObject().put("class", SubmittingVerticle.class.getName()))
        .add(new JsonObject().put("class", "com.example.NotThere")));
    ConfigException e = assertThrows(ConfigException.class, () -> TestHermod.start(temp.resolve("spool"), missing));
    assertEquals("verticles[1].class", e.key());
    assertEquals("config: verticles[1].class: no class com.example.NotThere on the class path (java -cp"
        + " hermod.jar:app.jar io.hermod.Main ...)", e.getMessage());
  }

  private JsonObject appConfig() {
    return new JsonObject().put("from", "app@local.test").put("to", "bob@remote.test").put("report", REPORT);
  }

  private JsonObject relayToPeer() {
    return new JsonObject().put("routing", new JsonObject().put("smarthost", "[127.0.0.1]:" + peer.port()));
  }

  private static List<JsonObject> reportsOn(Vertx vertx) {
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(REPORT, m -> {
      reports.add(m.body());
      m.reply(null);
    }).completion().await();
    return reports;
  }

  private static List<JsonObject> phase(List<JsonObject> reports, String phase) {
    return reports.stream().filter(r -> r.getString("phase").equals(phase)).toList();
  }

  private static Set<String> tags(List<JsonObject> reports) {
    return reports.stream().map(r -> r.getString("tag")).collect(Collectors.toSet());
  }

  private Set<String> tagsAtPeer() {
    return peer.messages().stream().map(AppVerticlesTest::tag).collect(Collectors.toSet());
  }

  private static String tag(ReceivedMessage m) {
    String content = m.content().toString(StandardCharsets.ISO_8859_1);
    int at = content.indexOf("X-Hermod-Tag: ");
    return at < 0 ? "" : content.substring(at + "X-Hermod-Tag: ".length(), content.indexOf("\r\n", at));
  }

  private static int lastIndexOf(List<String> lines, String text) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
