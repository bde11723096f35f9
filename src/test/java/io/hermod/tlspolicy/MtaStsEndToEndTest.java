package io.hermod.tlspolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.hermod.tlspolicy.PolicyHttpsServer.Answer;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MTA-STS through a whole Hermod: its source fetches the policies (HTTPS server and DNS on loopback, a CA made in
 * the test as outboundTls.caFile), the router's planner applies them and the delivery client enforces verify.
 * A recipient whose domain's enforce policy names the MX is delivered over verified STARTTLS (counted as a
 * TLS-RPT success); one whose policy names no MX of the domain is deferred and never sent.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MtaStsEndToEndTest extends HermodAndPeersTest {



  @Test
  void enforceDeliversToAMatchingMxOverVerifiedTlsAndDefersWithoutOne() throws Exception {
    peers = Vertx.vertx();
    OpensslCa ca = OpensslCa.create(dir.resolve("ca"), "e2e");
    OpensslCa.Issued mx = ca.issue("mx.enforce.test");
    PolicyHttpsServer https = new PolicyHttpsServer()
        .start(peers, List.of(ca.issue("mta-sts.enforce.test", "mta-sts.mismatch.test")))
        .await(10, TimeUnit.SECONDS);
    https.answer("mta-sts.enforce.test", "/.well-known/mta-sts.txt",
        Answer.policy("version: STSv1\nmode: enforce\nmx: mx.enforce.test\nmax_age: 86400\n"));
    https.answer("mta-sts.mismatch.test", "/.well-known/mta-sts.txt",
        Answer.policy("version: STSv1\nmode: enforce\nmx: mx.elsewhere.test\nmax_age: 86400\n"));
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers).capabilities("PIPELINING")
        .startTls(new PemKeyCertOptions().setCertPath(mx.certificate().toString()).setKeyPath(mx.key().toString()))
        .start().await(10, TimeUnit.SECONDS);
    TestDnsServer dns = TestDnsServer.start(peers).await(10, TimeUnit.SECONDS);
    for (String domain : List.of("enforce.test", "mismatch.test")) {
      dns.mx(domain, 10, "mx.enforce.test").txt("_mta-sts." + domain, "v=STSv1; id=1;")
          .a("mta-sts." + domain, "127.0.0.1");
    }
    dns.a("mx.enforce.test", "127.0.0.1");

    hermod = TestHermod.start(dir.resolve("spool"), new JsonObject()
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort()))
            .put("timeoutMillis", 5000))
        .put("routing", new JsonObject().put("deliveryPort", peer.port()))
        .put("outboundTls", new JsonObject().put("caFile", ca.caFile().toString())
            .put("mtaSts", new JsonObject().put("enabled", true).put("policyPort", https.port()))
            .put("tlsRpt", new JsonObject().put("enabled", true))));

    hermod.vertx.eventBus().request(Addresses.SUBMIT, new JsonObject().put("from", "s@local.test")
            .put("to", new JsonArray().add("u@enforce.test").add("v@mismatch.test"))
            .put("raw", "Subject: MTA-STS\r\n\r\nhello\r\n"))
        .await(10, TimeUnit.SECONDS);

    Wait.until(() -> !peer.messages().isEmpty(), "delivery to the enforce.test MX", 30);
    ReceivedMessage delivered = peer.messages().get(0);
    assertTrue(delivered.tls(), "delivered over STARTTLS");
    assertEquals(1, delivered.rcptTo().size(), delivered.rcptTo().toString());
    assertTrue(delivered.rcptTo().get(0).contains("<u@enforce.test>"), delivered.rcptTo().toString());
    Wait.until(() -> hermod.hermod.queueIndex().counts(Instant.now()).deferred() == 1,
        "v@mismatch.test deferred: no MX matches its domain's policy", 30);
    assertEquals(1, peer.messages().size(), "nothing for mismatch.test was sent");
    Counter successes = hermod.hermod.registry().find("hermod.tlsrpt.sessions").tag("result", "success").counter();
    assertTrue(successes != null && successes.count() >= 1, "the verified session counted for TLS-RPT");
    assertEquals(1, https.requests("mta-sts.enforce.test"));
    assertEquals(1, https.requests("mta-sts.mismatch.test"));
  }
}
