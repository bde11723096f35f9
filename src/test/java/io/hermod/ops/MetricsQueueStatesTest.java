package io.hermod.ops;

import static io.hermod.ops.MetricsAndHealthTest.value;
import static io.hermod.ops.OperatorBounceDsnTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.metrics.HermodMetrics;
import io.hermod.testing.Ports;
import io.hermod.testing.TestHermod;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** hermod_queue_messages by state from the queue census, and shaping suspensions by destination class. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsQueueStatesTest {

  @TempDir
  Path temp;

  @Test
  void queueMessagesByStateFollowTheQueue() throws Exception {
    Ports.Refusing remote = Ports.refusing();
    JsonObject config = new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("remote.test", remote.nextHop())))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 3600).put("retryMaxSeconds", 3600)
            .put("scanIntervalSeconds", 1));
    try (remote; TestHermod h = TestHermod.start(temp, config)) {
      Http http = new Http(h.httpPort(), null);
      String deferred = Mail.send(h, "alice@client.example", "bob@remote.test");
      // No local transport: it stays queued, looked at again every scanIntervalSeconds (deferred meanwhile).
      Mail.send(h, "alice@client.example", "carol@local.test");
      String held = Mail.send(h, "alice@client.example", "dave@local.test");
      assertEquals(200, QueueAdminApiTest.retryWhile409(() -> http.post("/queue/" + held + "/hold")).statusCode());
      awaitTrue(() -> "deferred".equals(new JsonObject(http.get("/queue/" + deferred).body()).getString("state")),
          "the remote message deferred");
      awaitTrue(() -> {
        String text = http.get("/metrics").body();
        return value(text, "hermod_queue_messages", "state=\"ready\"")
            + value(text, "hermod_queue_messages", "state=\"deferred\"") == 2
            && value(text, "hermod_queue_messages", "state=\"held\"") == 1
            && value(text, "hermod_queue_messages", "state=\"waiting\"") == 0;
      }, "hermod_queue_messages ready+deferred=2 held=1");
    }
  }

  @Test
  void shapingSuspensionsAreTaggedBySiteKindAndDecisionsByAction() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HermodMetrics metrics = new HermodMetrics(registry);
    metrics.shapingDecision("suspend", "mx1.example.com,mx2.example.com");
    metrics.shapingDecision("suspend", "[10.1.2.3]:2525");
    metrics.shapingDecision("suspend", "provider:google");
    metrics.shapingDecision("limit_connections", "provider:google");
    assertEquals(1.0, registry.get("hermod.shaping.suspensions").tag("destination", "mx").counter().count());
    assertEquals(1.0, registry.get("hermod.shaping.suspensions").tag("destination", "nexthop").counter().count());
    assertEquals(1.0, registry.get("hermod.shaping.suspensions").tag("destination", "provider").counter().count());
    assertEquals(3.0, registry.get("hermod.shaping.decisions").tag("action", "suspend").counter().count());
    assertEquals(1.0, registry.get("hermod.shaping.decisions").tag("action", "limit_connections").counter().count());
  }
}
