package io.hermod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.testing.TestHermod;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * TLS session resumption (docs/security.md) seen by a real client, Python's ssl module, which offers the
 * session of its previous connection (a TLS 1.3 ticket, a TLS 1.2 ticket or session id) and reports whether
 * the server resumed it; Hermod's hermod_tls_handshakes_total{session} must agree.
 */
@Timeout(180)
class TlsResumptionTest {

  static final int STARTTLS = 0;
  static final int IMPLICIT = 1;

  @TempDir
  static Path temp;
  static TestHermod h;
  static Path cert;

  @BeforeAll
  static void start() throws Exception {
    h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(temp));
    cert = temp.resolve("tls/cert.pem");
  }

  static JsonObject config(Path dir) {
    JsonObject tls = new JsonObject().put("generatedDirectory", dir.resolve("tls").toString());
    return new JsonObject()
        .put("listeners", new JsonArray()
            .add(TlsAuthTest.listener("mx", "mx", "starttls"))
            .add(TlsAuthTest.listener("smtps", "mx", "implicit")))
        .put("tls", tls);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void aClientOfferingItsLastSessionResumesOnStarttlsAndImplicitTls() throws Exception {
    reconnects(null, "TLSv1.3");
  }

  @Test
  void tls12SessionsResumeToo() throws Exception {
    reconnects("TLSv1.2", "TLSv1.2");
  }

  private static void reconnects(String maxVersion, String expectedVersion) throws Exception {
    for (int listener : new int[] {STARTTLS, IMPLICIT}) {
      double resumed = handshakes(h, "resumed");
      double full = handshakes(h, "full");
      JsonObject plan = plan(listener, true);
      if (maxVersion != null) {
        plan.put("maxVersion", maxVersion);
      }
      List<JsonObject> sessions = PythonSmtpSessions.run(plan);
      assertEquals(List.of(false, true, true, true), reused(sessions), sessions.toString());
      sessions.forEach(s -> assertEquals(expectedVersion, s.getString("version"), s.encode()));
      assertEquals(250, sessions.get(3).getInteger("mail"), sessions.toString()); // SMTP works on a resumed session
      assertEquals(3, handshakes(h, "resumed") - resumed, "resumed handshakes counted by Hermod");
      assertEquals(1, handshakes(h, "full") - full, "full handshakes counted by Hermod");
    }
  }

  @Test
  void aClientThatDoesNotOfferASessionGetsFullHandshakes() throws Exception {
    double full = handshakes(h, "full");
    List<JsonObject> sessions = PythonSmtpSessions.run(plan(STARTTLS, false));
    assertEquals(List.of(false, false, false, false), reused(sessions), sessions.toString());
    assertEquals(4, handshakes(h, "full") - full);
  }

  private static JsonObject plan(int listener, boolean resume) {
    JsonObject plan = PythonSmtpSessions.plan(h.hermod.port(listener), listener == IMPLICIT ? "implicit" : "starttls",
        cert, resume);
    for (int i = 0; i < 4; i++) {
      plan.getJsonArray("sessions").add(PythonSmtpSessions.session(null, null, null, i == 0 || i == 3));
    }
    return plan;
  }

  private static List<Boolean> reused(List<JsonObject> sessions) {
    return sessions.stream().map(s -> s.getBoolean("reused")).toList();
  }

  static double handshakes(TestHermod hermod, String session) {
    return hermod.hermod.registry().find("hermod.tls.handshakes").tag("session", session).counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
