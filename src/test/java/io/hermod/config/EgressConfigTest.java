package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hermod.egress.EgressConfig;
import io.hermod.egress.EgressPool;
import io.hermod.egress.EgressSource;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** delivery.sources, delivery.pools, delivery.poolSelection.* and delivery.defaultPool (ConfigValidationTest style). */
class EgressConfigTest {

  private static final String SRC = "'sources':{'ip1':{'address':'127.0.0.2','ehlo':'out1.example'},"
      + "'ip2':{'address':'::1'}}";
  private static final String POOLS = SRC + ",'pools':{'bulk':{'ip1':1,'ip2':3}}";

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("'sources':[]", "delivery.sources"),
        bad("'sources':{'IP1':{'address':'127.0.0.2'}}", "delivery.sources.IP1"),
        bad("'sources':{'ip1':'127.0.0.2'}", "delivery.sources.ip1"),
        bad("'sources':{'ip1':{}}", "delivery.sources.ip1.address"),
        bad("'sources':{'ip1':{'address':'out1.example'}}", "delivery.sources.ip1.address"),
        bad("'sources':{'ip1':{'address':'0.0.0.0'}}", "delivery.sources.ip1.address"),
        bad("'sources':{'ip1':{'address':'::'}}", "delivery.sources.ip1.address"),
        bad("'sources':{'ip1':{'address':'224.0.0.1'}}", "delivery.sources.ip1.address"),
        bad("'sources':{'ip1':{'address':'127.0.0.256'}}", "delivery.sources.ip1.address"),
        bad("'sources':{'ip1':{'address':'127.0.0.2','ehlo':'not a name'}}", "delivery.sources.ip1.ehlo"),
        bad("'sources':{'ip1':{'address':'127.0.0.2','helo':'x.example'}}", "delivery.sources.ip1.helo"),
        bad(SRC + ",'pools':{'bulk':{}}", "delivery.pools.bulk"),
        bad(SRC + ",'pools':{'bulk':['ip1']}", "delivery.pools.bulk"),
        bad(SRC + ",'pools':{'Bulk':{'ip1':1}}", "delivery.pools.Bulk"),
        bad(SRC + ",'pools':{'bulk':{'ip9':1}}", "delivery.pools.bulk.ip9"),
        bad(SRC + ",'pools':{'bulk':{'ip1':0}}", "delivery.pools.bulk.ip1"),
        bad(SRC + ",'pools':{'bulk':{'ip1':10001}}", "delivery.pools.bulk.ip1"),
        bad(SRC + ",'pools':{'bulk':{'ip1':1.5}}", "delivery.pools.bulk.ip1"),
        bad(POOLS + ",'poolSelection':{'users':{'alice':'tx'}}", "delivery.poolSelection.users.alice"),
        bad(POOLS + ",'poolSelection':{'users':{'alice':1}}", "delivery.poolSelection.users.alice"),
        bad(POOLS + ",'poolSelection':{'senderDomains':{'not a domain':'bulk'}}",
            "delivery.poolSelection.senderDomains.not a domain"),
        bad(POOLS + ",'poolSelection':{'senderDomains':{'x.example':'tx'}}",
            "delivery.poolSelection.senderDomains.x.example"),
        bad(POOLS + ",'poolSelection':{'senderDomains':{'x.example':'bulk','X.Example':'bulk'}}",
            "delivery.poolSelection.senderDomains.X.Example"),
        bad(POOLS + ",'poolSelection':{'domains':{}}", "delivery.poolSelection.domains"),
        bad(POOLS + ",'defaultPool':'tx'", "delivery.defaultPool"),
        bad(POOLS + ",'defaultPool':''", "delivery.defaultPool"));
  }

  private static Arguments bad(String delivery, String key) {
    return Arguments.of(("{'delivery':{" + delivery + "}}").replace('\'', '"'), key);
  }

  @ParameterizedTest(name = "{1} <- {0}")
  @MethodSource("badValues")
  void badValueNamesItsKey(String json, String key) {
    new ConfigValidationTest().badValueNamesItsKey(json, key); // the checks every other key gets
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertEquals("config: delivery.pools.bulk.ip9: no such source in delivery.sources",
        error(SRC + ",'pools':{'bulk':{'ip9':1}}"));
    assertEquals("config: delivery.defaultPool: must name a pool of delivery.pools (got \"tx\")",
        error(POOLS + ",'defaultPool':'tx'"));
    assertEquals("config: delivery.sources.ip1.address: must be an IP address (not a host name) (got \"out1.example\")",
        error("'sources':{'ip1':{'address':'out1.example'}}"));
  }

  @Test
  void noPoolsByDefault() {
    assertEquals(EgressConfig.NONE, ConfigLoader.fromJson(new JsonObject()).delivery().egress());
  }

  @Test
  void goodValuesAreNormalised() {
    EgressConfig e = ConfigLoader.fromJson(json(POOLS + ",'poolSelection':{'users':{'Alice':'bulk'},"
        + "'senderDomains':{'News.Example.':'bulk'}},'defaultPool':'bulk'")).delivery().egress();
    assertEquals(Map.of("ip1", new EgressSource("ip1", "127.0.0.2", "out1.example"),
        "ip2", new EgressSource("ip2", "0:0:0:0:0:0:0:1", null)), e.sources());
    assertEquals(List.of("ip1", "ip2"), List.copyOf(e.pools().get("bulk").weights().keySet()));
    assertEquals(new EgressPool("bulk", Map.of("ip1", 1, "ip2", 3)), e.pools().get("bulk"));
    assertEquals(Map.of("Alice", "bulk"), e.poolByUser());
    assertEquals(Map.of("news.example", "bulk"), e.poolBySenderDomain());
    assertEquals("bulk", e.defaultPool());
  }

  @Test
  void poolsReloadButSourcesNeedARestartAndHoldThePoolsBack() {
    HermodConfig running = ConfigLoader.fromJson(json(POOLS));
    ReloadPlan live = ReloadPlan.between(running, ConfigLoader.fromJson(json(POOLS + ",'defaultPool':'bulk'")));
    assertEquals(List.of("delivery"), live.changed());
    assertEquals(List.of(), live.restartRequired());
    assertEquals("bulk", live.effective().delivery().egress().defaultPool());

    ReloadPlan held = ReloadPlan.between(running, ConfigLoader.fromJson(json(
        "'sources':{'ip3':{'address':'127.0.0.4'}},'pools':{'bulk':{'ip3':1}},'defaultPool':'bulk'")));
    assertEquals(List.of("delivery.sources"), held.restartRequired());
    assertEquals(running.delivery().egress(), held.effective().delivery().egress());
    assertNull(held.effective().delivery().egress().defaultPool());
  }

  private static String error(String delivery) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(json(delivery))).getMessage();
  }

  private static JsonObject json(String delivery) {
    return new JsonObject(("{'delivery':{" + delivery + "}}").replace('\'', '"'));
  }
}
