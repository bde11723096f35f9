package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, dead sites and site-wide throttles, through a running Hermod, real SMTP peers and a real DNS server:
 * a site that fails at the connection level costs a handful of connections however much mail is queued for
 * it, and once it answers its mail is delivered without waiting for each message's own retry time. A throttle
 * reply suspends the whole site (every domain on its MX hosts), not a domain.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadSiteTest {

  static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  private final Vertx peers = Vertx.vertx();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private TestHermod hermod;

  @AfterEach
  void tearDown() {
    if (hermod != null) {
      hermod.close();
    }
    peers.close().await();
  }

  private void startHermod(JsonObject overrides) {
    hermod = TestHermod.start(dir.resolve("spool"), overrides);
    hermod.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion().await();
  }

  private long count(Predicate<JsonObject> p) {
    return events.stream().filter(p).count();
  }

  private static Predicate<JsonObject> outcome(String outcome) {
    return e -> outcome.equals(e.getString("outcome"));
  }

  private static void until(String what, int seconds, java.util.function.BooleanSupplier ok) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aDeadSmarthostGetsAHandfulOfConnectionsForTwoHundredMessagesThenItsMailGoesWhenItAnswers()
      throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers).greeting("421 4.3.2 peer.test not accepting mail now");
    peer.start().await();
    startHermod(new JsonObject()
        .put("routing", new JsonObject().put("smarthost", "[127.0.0.1]:" + peer.port()))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 600).put("retryMaxSeconds", 600)
            .put("scanIntervalSeconds", 1).put("delayWarningSeconds", 0))
        .put("shaping", new JsonObject().put("probeSeconds", 3).put("maxProbeSeconds", 3)));
    int messages = 200;
    for (int i = 0; i < messages; i++) {
      SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of("r" + i + "@remote.test"), MESSAGE);
    }
    until("every message deferred once", 30, () -> count(outcome("deferred")) >= messages);
    int attempts = peer.sessions().size();
    assertTrue(attempts <= 6, "a dead site costs a cohort (5) and its probes, not one per message: " + attempts);
    assertTrue(count(e -> e.getString("text", "").startsWith("delivery temporarily suspended: 451 4.3.2")
        || e.getString("text", "").startsWith("delivery temporarily suspended: 451 4.4")) >= messages - 6,
        "deferred without an attempt, naming the last error");

    // The operator sees it: hermod queue sites names the dead site, why, and what waits for it.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int status = new io.hermod.admin.QueueCommand(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
        System.err, java.util.Map.of()).run(new String[] {"sites", "--url", "http://127.0.0.1:" + hermod.httpPort()});
    String table = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, table);
    java.util.regex.Matcher row = java.util.regex.Pattern.compile("\\[127\\.0\\.0\\.1\\]:" + peer.port()
        + "\\s+dead\\s+\\d+\\s+\\d+\\s+(\\d+)\\s+\\d+\\s+\\S+\\s+451 4\\.3\\.2 .*421 4\\.3\\.2").matcher(table);
    assertTrue(row.find(), table);
    assertTrue(Integer.parseInt(row.group(1)) >= messages - 2, "parked (all but a probe): " + table);

    peer.greeting("220 peer.test ESMTP back");
    until("all delivered after the probe, long before their own retry (600 s)", 60,
        () -> count(outcome("delivered")) == messages);
    assertEquals(messages, peer.messages().size());
  }

  /**
   * Issue 13: "a site that is dead or suspended costs nothing per message while it is". Mail for a dead
   * smarthost is deferred once (the attempt that found it dead); after that each message that comes due again
   * waits in the queue index for the site, without a spool update, an event or a connection, however many retry
   * rounds pass; and it is all delivered once the site answers its probe.
   */
  @Test
  void aDeadSitesMailWaitsInTheQueueIndexThroughRetryRoundsThenGoesWhenItAnswers() throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers).greeting("421 4.3.2 peer.test not accepting mail now");
    peer.start().await();
    // Retries every 2 s, no spread: without the index every message would be deferred again each round.
    startHermod(new JsonObject()
        .put("routing", new JsonObject().put("smarthost", "[127.0.0.1]:" + peer.port()))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 2).put("retryMaxSeconds", 2)
            .put("retrySpreadSeconds", 0).put("delayWarningSeconds", 0))
        .put("shaping", new JsonObject().put("probeSeconds", 15).put("maxProbeSeconds", 15)));
    int messages = 100;
    for (int i = 0; i < messages; i++) {
      SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of("r" + i + "@remote.test"), MESSAGE);
    }
    io.hermod.queue.QueueIndex index = hermod.hermod.queueIndex();
    until("every message deferred once", 30, () -> count(outcome("deferred")) >= messages);
    until("every message waiting for its site once due again", 30,
        () -> index.counts(java.time.Instant.now()).waiting() == messages);
    long deferredThen = count(outcome("deferred"));
    int sessionsThen = peer.sessions().size();
    Thread.sleep(6_000); // three more retry rounds
    // At most the probe (due 15 s after the site died) may have gone meanwhile on a slow machine.
    assertTrue(count(outcome("deferred")) <= deferredThen + 1, "no message deferred again while its site is dead: "
        + deferredThen + " then " + count(outcome("deferred")));
    assertTrue(peer.sessions().size() <= sessionsThen + 1, "no connection but a due probe");
    assertTrue(index.counts(java.time.Instant.now()).waiting() >= messages - 1);
    assertTrue(deferredThen <= messages + 1, "each message deferred once: " + deferredThen);

    peer.greeting("220 peer.test ESMTP back");
    until("all delivered once the probe reaches the site", 60, () -> count(outcome("delivered")) == messages);
    assertEquals(messages, peer.messages().size());
    assertEquals(0, index.size());
  }

  @Test
  void twentyDomainsOnOneDeadMxHostAreOneSite() throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers).greeting("421 4.3.2 peer.test not accepting mail now");
    peer.start().await();
    TestDnsServer dns = TestDnsServer.start(peers).await();
    for (int i = 0; i < 20; i++) {
      dns.mx("d" + i + ".test", 10, "mx.shared.test");
    }
    dns.a("mx.shared.test", "127.0.0.1");
    startHermod(dnsConfig(dns, peer).put("shaping", new JsonObject().put("probeSeconds", 2)));
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 5; j++) {
        SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of("r" + j + "@d" + i + ".test"), MESSAGE);
      }
    }
    until("every message deferred once", 30, () -> count(outcome("deferred")) >= 100);
    int attempts = peer.sessions().size();
    assertTrue(attempts <= 6, "one site for 20 domains: a cohort of connections, not one per domain: " + attempts);
    peer.greeting("220 peer.test ESMTP back");
    until("all 100 delivered once the host answers, long before their own retry (600 s)", 60,
        () -> count(outcome("delivered")) == 100);
    dns.close().await();
  }

  @Test
  void aThrottleReplySuspendsEveryDomainOfTheSite() throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers)
        .on("MAIL", "421 4.7.0 Try again later, closing connection");
    peer.start().await();
    TestDnsServer dns = TestDnsServer.start(peers).await();
    for (int i = 0; i < 24; i++) {
      dns.mx("t" + i + ".test", 10, "mx.throttle.test");
    }
    dns.a("mx.throttle.test", "127.0.0.1");
    startHermod(dnsConfig(dns, peer).put("shaping", new JsonObject().put("initialConnections", 1)));
    for (int i = 0; i < 24; i++) {
      SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of("r@t" + i + ".test"), MESSAGE);
    }
    until("every message deferred once", 30, () -> count(outcome("deferred")) >= 24);
    long throttles = peer.sessions().stream().filter(s -> s.commands().stream().anyMatch(c -> c.startsWith("MAIL")))
        .count();
    assertTrue(throttles <= 2, "the site is suspended after its first 421, not each of its 24 domains: " + throttles);
    dns.close().await();
  }

  @Test
  void tenDomainsOnOneMxHostShareItsConnections() throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers);
    peer.start().await();
    TestDnsServer dns = TestDnsServer.start(peers).await();
    for (int i = 0; i < 10; i++) {
      dns.mx("s" + i + ".test", 10, "mx.site.test");
    }
    dns.a("mx.site.test", "127.0.0.1");
    startHermod(dnsConfig(dns, peer));
    for (int j = 0; j < 5; j++) {
      for (int i = 0; i < 10; i++) {
        SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of("r" + j + "@s" + i + ".test"), MESSAGE);
      }
    }
    until("all delivered", 30, () -> count(outcome("delivered")) == 50);
    // With connections pooled per domain every session would carry one domain's mail; per site they mix. How
    // much depends on timing: when the site's first 5 connections open at once (the window) and the pool hands
    // out its longest-idle one, the 10 domains arriving in turn go round them, two domains per session.
    List<java.util.Set<String>> domainsPerSession = peer.sessions().stream()
        .map(x -> x.commands().stream().filter(c -> c.startsWith("RCPT"))
            .map(c -> c.substring(c.indexOf('@') + 1)).collect(java.util.stream.Collectors.toSet()))
        .toList();
    assertTrue(domainsPerSession.stream().anyMatch(d -> d.size() >= 2), domainsPerSession.toString());
    assertTrue(peer.sessions().size() < 20, "reused, not a connection per message: " + domainsPerSession);
    dns.close().await();
  }

  private JsonObject dnsConfig(TestDnsServer dns, ScriptedSmtpPeer peer) {
    return new JsonObject()
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort())))
        .put("routing", new JsonObject().put("deliveryPort", peer.port()))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 600).put("retryMaxSeconds", 600)
            .put("scanIntervalSeconds", 1).put("delayWarningSeconds", 0))
        .put("shaping", new JsonObject().put("probeSeconds", 60));
  }
}
