package io.hermod.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which keys a reload applies and which keep their running value until a restart. */
class ReloadPlanTest {

  private static HermodConfig config(JsonObject json) {
    return ConfigLoader.fromJson(new JsonObject()
        .put("spool", new JsonObject().put("directory", "/tmp/hermod-plan-test")).mergeIn(json, true));
  }

  @Test
  void theSameConfigurationIsAnEmptyPlan() {
    HermodConfig c = config(new JsonObject());
    ReloadPlan plan = ReloadPlan.between(c, config(new JsonObject()));
    assertTrue(plan.isEmpty());
    assertEquals(c, plan.effective());
  }

  @Test
  void liveKeysApplyAndAreListed() {
    HermodConfig running = config(new JsonObject());
    ReloadPlan plan = ReloadPlan.between(running, config(new JsonObject()
        .put("localDomains", new JsonArray().add("new.test"))
        .put("limits", new JsonObject().put("maxRecipients", 7))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 60).put("suspendSeconds", 5))));
    assertEquals(List.of("localDomains", "limits", "delivery"), plan.changed());
    assertEquals(List.of(), plan.restartRequired());
    assertEquals(7, plan.effective().limits().maxRecipients());
    assertEquals(60, plan.effective().delivery().retryInitialSeconds());
    assertEquals(5, plan.effective().delivery().suspendSeconds());
    assertTrue(plan.effective().isLocalDomain("new.test"));
  }

  @Test
  void restartOnlyKeysKeepTheirRunningValueAndAreNamed() {
    HermodConfig running = config(new JsonObject());
    ReloadPlan plan = ReloadPlan.between(running, config(new JsonObject()
        .put("spool", new JsonObject().put("directory", "/tmp/elsewhere"))
        .put("http", new JsonObject().put("port", 9999))
        .put("delivery", new JsonObject().put("instances", 7).put("maxConnectionsPerDestination", 3)
            .put("ratePerDestination", 9)
            .put("lifetimeSeconds", 3600))
        .put("local", new JsonObject().put("workerThreads", 5))
        .put("auth", new JsonObject().put("maxFailures", 9).put("restrictSenderDomains", true))
        .put("configReloadSeconds", 30)));
    assertEquals(List.of("spool", "auth.maxFailures", "http", "configReloadSeconds",
        "delivery.maxConnectionsPerDestination", "delivery.instances", "delivery.ratePerDestination",
        "local.workerThreads"), plan.restartRequired());
    assertTrue(plan.effective().auth().restrictSenderDomains(), "the live key in the same section applies");
    assertEquals(running.auth().maxFailures(), plan.effective().auth().maxFailures());
    assertEquals(running.spool(), plan.effective().spool());
    assertEquals(running.http(), plan.effective().http());
    assertEquals(running.delivery().instances(), plan.effective().delivery().instances());
    assertEquals(running.delivery().maxConnectionsPerDestination(),
        plan.effective().delivery().maxConnectionsPerDestination());
    assertEquals(running.configReloadSeconds(), plan.effective().configReloadSeconds());
    assertEquals(3600, plan.effective().delivery().lifetimeSeconds(), "the live key in the same section applies");
    assertEquals(List.of("auth", "delivery"), plan.changed());
  }

  @Test
  void outboundTlsLevelsReloadButTheClientsTlsSetupWaitsForARestart() {
    HermodConfig running = config(new JsonObject());
    ReloadPlan plan = ReloadPlan.between(running, config(new JsonObject().put("outboundTls", new JsonObject()
        .put("level", "encrypt").put("policies", new JsonObject().put("bank.test", "verify"))
        .put("caFile", "/etc/hermod/ca.pem").put("protocols", new JsonArray().add("TLSv1.3")))));
    assertEquals(List.of("outboundTls.caFile", "outboundTls.protocols"), plan.restartRequired());
    assertEquals(List.of("outboundTls"), plan.changed());
    assertEquals(io.hermod.tlspolicy.TlsLevel.ENCRYPT, plan.effective().outboundTls().level());
    assertEquals(io.hermod.tlspolicy.TlsLevel.VERIFY, plan.effective().outboundTls().policies().lookup("bank.test"));
    assertEquals(null, plan.effective().outboundTls().caFile());
    assertEquals(running.outboundTls().protocols(), plan.effective().outboundTls().protocols());
  }

  @Test
  void daneKeysNeedARestart() {
    HermodConfig running = config(new JsonObject());
    ReloadPlan plan = ReloadPlan.between(running, config(new JsonObject().put("outboundTls",
        new JsonObject().put("dane", new JsonObject().put("enabled", true).put("trustAdBit", true)))));
    assertEquals(List.of("outboundTls.dane"), plan.restartRequired());
    assertEquals(running.outboundTls().dane(), plan.effective().outboundTls().dane());
  }
}
