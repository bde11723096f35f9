package io.hermod.config;

import io.hermod.api.Submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {

  private static final String W0 = "{'name':'a','url':'http://127.0.0.1/h','secret':'0123456789abcdef'}";
  private static final String L0 = "{\"name\":\"a\",\"host\":\"127.0.0.1\",\"port\":25,\"role\":\"mx\"}";

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("{'limits':{'maxMessageSize':-5}}", "limits.maxMessageSize"),
        bad("{'delivery':{'retrySpreadSeconds':-1}}", "delivery.retrySpreadSeconds"),
        bad("{'delivery':{'maxJobsPerBatch':0}}", "delivery.maxJobsPerBatch"),
        bad("{'delivery':{'maxJobsPerBatch':1001}}", "delivery.maxJobsPerBatch"),
        bad("{'limits':{'maxMessageSize':1023}}", "limits.maxMessageSize"),
        bad("{'limits':{'maxMessageSize':null}}", "limits.maxMessageSize"),
        bad("{'limits':{'maxMessageSize':1e30}}", "limits.maxMessageSize"),
        bad("{'limits':{'maxMesageSize':5}}", "limits.maxMesageSize"),
        bad("{'hostnmae':'x.test'}", "hostnmae"),
        bad("{'outboundTls':{'dane':{'cacheSize':0}}}", "outboundTls.dane.cacheSize"),
        bad("{'outboundTls':{'dane':{'trustAdBit':'yes'}}}", "outboundTls.dane.trustAdBit"),
        bad("{'outboundTls':{'dane':{'trustAnchorFile':''}}}", "outboundTls.dane.trustAnchorFile"),
        bad("{'hostname':'bad host!'}", "hostname"),
        bad("{'hostname':'-x.test'}", "hostname"),
        bad("{'hostname':5}", "hostname"),
        bad("{'hostname':'10.0.0.1'}", "hostname"),
        bad("{'localDomains':['ok.test','bad..test']}", "localDomains[1]"),
        bad("{'localDomains':'a.test'}", "localDomains"),
        bad("{'localDomains':[7]}", "localDomains[0]"),
        bad("{'trustedNetworks':['10.0.0.0/33']}", "trustedNetworks[0]"),
        bad("{'trustedNetworks':['10.0.0.0/x']}", "trustedNetworks[0]"),
        bad("{'trustedNetworks':['127.0.0.1','example.com']}", "trustedNetworks[1]"),
        bad("{'listeners':[]}", "listeners"),
        bad("{'listeners':{}}", "listeners"),
        bad("{'listeners':[" + L0 + ",{'name':'b','host':'127.0.0.1','port':70000,'role':'mx'}]}", "listeners[1].port"),
        bad("{'listeners':[" + L0 + ",{'name':'b','host':'127.0.0.1','port':-1,'role':'mx'}]}", "listeners[1].port"),
        bad("{'listeners':[" + L0 + "," + L0 + "]}", "listeners[1].name"),
        bad("{'listeners':[{'name':'a','host':'127.0.0.1','port':25,'role':'relay'}]}", "listeners[0].role"),
        bad("{'listeners':[{'name':'a','port':25,'role':'mx'}]}", "listeners[0].host"),
        bad("{'listeners':[{'name':'a','host':'no host','port':25,'role':'mx'}]}", "listeners[0].host"),
        bad("{'listeners':[{'name':'a','host':'127.0.0.1','prot':25,'role':'mx'}]}", "listeners[0].prot"),
        bad("{'listeners':[{'host':'127.0.0.1','port':25,'role':'mx'}]}", "listeners[0].name"),
        bad("{'listeners':['127.0.0.1:25']}", "listeners[0]"),
        // webhooks[] (docs/config.md): W0 is a valid endpoint, each case breaks one key of it.
        bad("{'webhooks':[" + W0 + "," + W0 + "]}", "webhooks[1].name"),
        bad("{'webhooks':[" + w("'name':'has space'") + "]}", "webhooks[0].name"),
        bad("{'webhooks':[{'url':'http://127.0.0.1/h','secret':'0123456789abcdef'}]}", "webhooks[0].name"),
        bad("{'webhooks':[" + w("'url':'ftp://x.test/h'") + "]}", "webhooks[0].url"),
        bad("{'webhooks':[" + w("'url':'http:///nohost'") + "]}", "webhooks[0].url"),
        bad("{'webhooks':[" + w("'url':'http://user:pw@x.test/h'") + "]}", "webhooks[0].url"),
        bad("{'webhooks':[" + w("'url':'not a url'") + "]}", "webhooks[0].url"),
        bad("{'webhooks':[{'name':'a','url':'http://127.0.0.1/h'}]}", "webhooks[0].secret"),
        bad("{'webhooks':[" + w("'secretEnv':'HOOK_SECRET'") + "]}", "webhooks[0].secretEnv"),
        bad("{'webhooks':[" + w("'secret':'short'") + "]}", "webhooks[0].secret"),
        bad("{'webhooks':[" + w("'batchSize':0") + "]}", "webhooks[0].batchSize"),
        bad("{'webhooks':[" + w("'maxBatchBytes':100") + "]}", "webhooks[0].maxBatchBytes"),
        bad("{'webhooks':[" + w("'lingerMillis':-1") + "]}", "webhooks[0].lingerMillis"),
        bad("{'webhooks':[" + w("'concurrency':17") + "]}", "webhooks[0].concurrency"),
        bad("{'webhooks':[" + w("'timeoutMillis':'10s'") + "]}", "webhooks[0].timeoutMillis"),
        bad("{'webhooks':[" + w("'retryInitialMillis':5000,'retryMaxMillis':1000") + "]}", "webhooks[0].retryMaxMillis"),
        bad("{'webhooks':[" + w("'outcomes':['bounced','lost']") + "]}", "webhooks[0].outcomes[1]"),
        bad("{'webhooks':[" + w("'outcomes':[]") + "]}", "webhooks[0].outcomes"),
        bad("{'webhooks':[" + w("'headers':{'X-Hermod-Signature':'v1=forged'}") + "]}",
            "webhooks[0].headers.X-Hermod-Signature"),
        bad("{'webhooks':[" + w("'headers':{'Content-Type':'text/plain'}") + "]}", "webhooks[0].headers.Content-Type"),
        bad("{'webhooks':[" + w("'headers':{'X-Team':'a\\r\\nX-Evil: 1'}") + "]}", "webhooks[0].headers.X-Team"),
        bad("{'webhooks':[" + w("'headers':{'bad name':'x'}") + "]}", "webhooks[0].headers.bad name"),
        bad("{'webhooks':[" + w("'retries':3") + "]}", "webhooks[0].retries"),
        bad("{'webhooks':['http://127.0.0.1/h']}", "webhooks[0]"),
        bad("{'webhooks':[" + W0 + "],'events':{'journal':{'enabled':false}}}", "webhooks"),
        bad("{'spool':5}", "spool"),
        bad("{'spool':{'ioThreads':0}}", "spool.ioThreads"),
        bad("{'spool':{'directory':''}}", "spool.directory"),
        bad("{'spool':{'minFreeBytes':-1}}", "spool.minFreeBytes"),
        bad("{'spool':{'compactBelowLivePercent':101}}", "spool.compactBelowLivePercent"),
        bad("{'spool':{'removalSyncMillis':-1}}", "spool.removalSyncMillis"),
        bad("{'spool':{'highWaterBytes':0}}", "spool.highWaterBytes"),
        bad("{'limits':{'maxLineLength':999}}", "limits.maxLineLength"),
        bad("{'limits':{'maxLineLength':65537}}", "limits.maxLineLength"),
        bad("{'limits':{'maxCommandLineLength':511}}", "limits.maxCommandLineLength"),
        bad("{'limits':{'maxCommandLineLength':4097}}", "limits.maxCommandLineLength"),
        bad("{'limits':{'maxRecipients':1.5}}", "limits.maxRecipients"),
        bad("{'limits':{'maxRecipients':'100'}}", "limits.maxRecipients"),
        bad("{'limits':{'maxConnections':3000000000}}", "limits.maxConnections"),
        bad("{'limits':{'commandTimeoutSeconds':0}}", "limits.commandTimeoutSeconds"),
        bad("{'dns':{'resolvers':['[::1]:0']}}", "dns.resolvers[0]"),
        bad("{'dns':{'resolvers':['1.1.1.1','1.2.3.4:abc']}}", "dns.resolvers[1]"),
        bad("{'dns':{'resolvers':['[10.0.0.1]:53']}}", "dns.resolvers[0]"),
        bad("{'dns':{'resolvers':['bad name']}}", "dns.resolvers[0]"),
        bad("{'dns':{'resolvers':['1.1.1.1','dns.example:5353']}}", "dns.resolvers[1]"),
        bad("{'dns':{'timeoutMillis':0}}", "dns.timeoutMillis"),
        bad("{'dns':{'cacheSize':-1}}", "dns.cacheSize"),
        bad("{'dns':{'tryTimeoutMillis':0}}", "dns.tryTimeoutMillis"),
        bad("{'dns':{'tries':0}}", "dns.tries"),
        bad("{'dns':{'tries':21}}", "dns.tries"),
        bad("{'dns':{'maxOutstandingPerResolver':0}}", "dns.maxOutstandingPerResolver"),
        bad("{'dns':{'maxQueuedPerResolver':-1}}", "dns.maxQueuedPerResolver"),
        bad("{'dns':{'tempFailRetrySeconds':0}}", "dns.tempFailRetrySeconds"),
        bad("{'dns':{'tempFailRetries':-1}}", "dns.tempFailRetries"),
        bad("{'routing':{'smarthost':'[10.0.0.1'}}", "routing.smarthost"),
        bad("{'routing':{'smarthost':''}}", "routing.smarthost"),
        bad("{'routing':{'routes':{'example.com':'relay.test:99999'}}}", "routing.routes.example.com"),
        bad("{'routing':{'routes':{'bad_domain':'relay.test'}}}", "routing.routes.bad_domain"),
        bad("{'routing':{'routes':{'a.test':5}}}", "routing.routes.a.test"),
        bad("{'routing':{'routes':{'a.test':'x','A.TEST':'y'}}}", "routing.routes.A.TEST"),
        bad("{'routing':{'deliveryPort':0}}", "routing.deliveryPort"),
        bad("{'delivery':{'retryInitialSeconds':600,'retryMaxSeconds':300}}", "delivery.retryMaxSeconds"),
        bad("{'delivery':{'instances':0}}", "delivery.instances"),
        bad("{'tls':{'sessionCacheSize':0}}", "tls.sessionCacheSize"),
        bad("{'auth':{'workerThreads':-1}}", "auth.workerThreads"),
        bad("{'auth':{'workerThreads':257}}", "auth.workerThreads"),
        bad("{'auth':{'cacheSize':-1}}", "auth.cacheSize"),
        bad("{'auth':{'cacheTtlSeconds':0}}", "auth.cacheTtlSeconds"),
        bad("{'auth':{'cacheTtlSeconds':86401}}", "auth.cacheTtlSeconds"),
        bad("{'tls':{'sessionTimeoutSeconds':0}}", "tls.sessionTimeoutSeconds"),
        bad("{'tls':{'sessionTimeoutSeconds':86401}}", "tls.sessionTimeoutSeconds"),
        bad("{'delivery':{'delayWarningSeconds':-1}}", "delivery.delayWarningSeconds"),
        bad("{'delivery':{'activeWindow':0}}", "delivery.activeWindow"),
        bad("{'delivery':{'scanIntervalSeconds':0}}", "delivery.scanIntervalSeconds"),
        bad("{'delivery':{'ratePerDestination':-1}}", "delivery.ratePerDestination"),
        bad("{'delivery':{'suspendPatterns':['(unclosed']}}", "delivery.suspendPatterns[0]"),
        bad("{'delivery':{'suspendPatterns':'^421'}}", "delivery.suspendPatterns"),
        bad("{'shaping':{'providers':[{'name':'Google','mxSuffixes':['.google.com']}]}}", "shaping.providers[0]"),
        bad("{'shaping':{'providers':[{'name':'g'}]}}", "shaping.providers[0].mxSuffixes"),
        bad("{'shaping':{'providers':[{'name':'g','mxSuffixes':['.g.com'],'maxConections':1}]}}",
            "shaping.providers[0].maxConections"),
        bad("{'shaping':{'providers':[{'name':'g','mxSuffixes':['.g.com'],'maxConnections':-1}]}}",
            "shaping.providers[0].maxConnections"),
        bad("{'shaping':{'providers':[{'name':'g','mxSuffixes':['.g.com']},{'name':'g','mxSuffixes':['.h.com']}]}}",
            "shaping.providers[1].name"),
        bad("{'shaping':{'providers':['google']}}", "shaping.providers[0]"),
        bad("{'shaping':{'ownSiteDomains':['not a domain']}}", "shaping.ownSiteDomains[0]"),
        bad("{'shaping':{'probeSeconds':600,'maxProbeSeconds':60}}", "shaping.maxProbeSeconds"),
        bad("{'shaping':{'failedCohortLimit':0}}", "shaping.failedCohortLimit"),
        bad("{'shaping':{'rules':[{'name':'r','match':'(','action':'suspend','durationSeconds':5}]}}",
            "shaping.rules[0]"),
        bad("{'shaping':{'rules':[{'name':'r','match':'x','action':'slow','durationSeconds':5}]}}",
            "shaping.rules[0]"),
        bad("{'shaping':{'rules':[{'name':'r','match':'x','action':'limitRate','durationSeconds':5}]}}",
            "shaping.rules[0]"),
        bad("{'shaping':{'rules':[{'name':'r','match':'x','action':'suspend','durationSeconds':5,'count':3}]}}",
            "shaping.rules[0]"),
        bad("{'shaping':{'rules':[{'name':'r','match':'x','action':'suspend','durationSeconds':5},"
            + "{'name':'r','match':'y','action':'suspend','durationSeconds':5}]}}", "shaping.rules[1].name"),
        bad("{'shaping':{'bounceRulesFile':''}}", "shaping.bounceRulesFile"),
        bad("{'shaping':{'bounceRulesFile':5}}", "shaping.bounceRulesFile"),
        bad("{'cluster':{'enabled':'yes'}}", "cluster.enabled"),
        bad("{'cluster':{'enabled':true}}", "cluster.members"),
        bad("{'cluster':{'enabled':true,'join':'kubernetes'}}", "cluster.kubernetes.serviceName"),
        bad("{'cluster':{'join':'multicast'}}", "cluster.join"),
        bad("{'cluster':{'members':['10.0.0.1:99999']}}", "cluster.members[0]"),
        bad("{'cluster':{'members':['no host']}}", "cluster.members[0]"),
        bad("{'cluster':{'host':'not a host'}}", "cluster.host"),
        bad("{'cluster':{'port':-1}}", "cluster.port"),
        bad("{'cluster':{'hazelcastPort':0}}", "cluster.hazelcastPort"),
        bad("{'cluster':{'name':''}}", "cluster.name"),
        bad("{'cluster':{'kubernetes':{'serviceName':'Hermod_HZ'}}}", "cluster.kubernetes.serviceName"),
        bad("{'cluster':{'slotLeaseSeconds':3601}}", "cluster.slotLeaseSeconds"),
        bad("{'cluster':{'slotLeaseSeconds':2}}", "cluster.slotLeaseSeconds"),
        bad("{'local':{'transports':{'other.test':'none'}}}", "local.transports.other.test"),
        bad("{'local':{'transports':{'localhost':{'type':'mbox'}}}}", "local.transports.localhost"),
        bad("{'local':{'transports':{'*':{'type':'lmtp','host':'127.0.0.1','port':0}}}}", "local.transports.*"),
        bad("{'local':{'transports':{'*':'maildir'}}}", "local.transports.*"),
        bad("{'local':{'users':{'localhost':'bob'}}}", "local.users.localhost"),
        bad("{'local':{'users':{'*':['bob']}}}", "local.users.*"),
        bad("{'local':{'timeoutSeconds':0}}", "local.timeoutSeconds"),
        bad("{'flow':{'enabled':'yes'}}", "flow.enabled"),
        bad("{'flow':{'backlogLow':-1}}", "flow.backlogLow"),
        bad("{'flow':{'backlogHigh':0}}", "flow.backlogHigh"),
        bad("{'flow':{'backlogLow':5000,'backlogHigh':5000}}", "flow.backlogHigh"),
        bad("{'flow':{'maxDelayMillis':-1}}", "flow.maxDelayMillis"),
        bad("{'flow':{'maxDelayMillis':10001}}", "flow.maxDelayMillis"),
        bad("{'flow':{'burstSeconds':3601}}", "flow.burstSeconds"),
        bad("{'flow':{'burstSecs':5}}", "flow.burstSecs"),
        bad("{'verticles':{'class':'io.hermod.app.SubmittingVerticle'}}", "verticles"),
        bad("{'verticles':['io.hermod.app.SubmittingVerticle']}", "verticles[0]"),
        bad("{'verticles':[{'config':{}}]}", "verticles[0].class"),
        bad("{'verticles':[{'class':''}]}", "verticles[0].class"),
        bad("{'verticles':[{'class':'io.hermod.app.SubmittingVerticle'},{'class':'com.example.Missing'}]}",
            "verticles[1].class"),
        bad("{'verticles':[{'class':'java.lang.String'}]}", "verticles[0].class"),
        bad("{'verticles':[{'class':'io.vertx.core.VerticleBase'}]}", "verticles[0].class"),
        bad("{'verticles':[{'class':'io.hermod.app.HiddenConstructorVerticle'}]}", "verticles[0].class"),
        bad("{'verticles':[{'class':'io.hermod.app.SubmittingVerticle','instances':0}]}", "verticles[0].instances"),
        bad("{'verticles':[{'class':'io.hermod.app.SubmittingVerticle','instances':1025}]}", "verticles[0].instances"),
        bad("{'verticles':[{'class':'io.hermod.app.SubmittingVerticle','config':'a=b'}]}", "verticles[0].config"),
        bad("{'verticles':[{'class':'io.hermod.app.SubmittingVerticle','instance':2}]}", "verticles[0].instance"),
        bad("{'events':{'journal':{'maxBytes':-1}}}", "events.journal.maxBytes"),
        bad("{'events':{'journal':{'segmentBytes':1000000,'maxBytes':1500000}}}", "events.journal.maxBytes"),
        bad("{'events':{'journal':{'segmentBytes':100}}}", "events.journal.segmentBytes"),
        bad("{'events':{'journal':{'maxAgeHours':0}}}", "events.journal.maxAgeHours"),
        bad("{'events':{'journal':{'maxCursors':0}}}", "events.journal.maxCursors"),
        bad("{'events':{'journal':{'commitDelayMillis':-5}}}", "events.journal.commitDelayMillis"),
        bad("{'events':{'journal':{'maxPending':'many'}}}", "events.journal.maxPending"),
        bad("{'events':{'journal':{'maxSize':5}}}", "events.journal.maxSize"),
        bad("{'events':{'feed':{'maxBatchEntries':0}}}", "events.feed.maxBatchEntries"),
        bad("{'events':{'feed':{'maxBatchBytes':100}}}", "events.feed.maxBatchBytes"),
        bad("{'events':{'feed':{'maxWaitMillis':60000}}}", "events.feed.maxWaitMillis"),
        bad("{'events':{'feed':{'maxSubscriptions':'all'}}}", "events.feed.maxSubscriptions"),
        bad("{'events':{'feed':{'maxWaitingReads':-1}}}", "events.feed.maxWaitingReads"),
        bad("{'outboundTls':{'policies':{'example.com':'strict'}}}", "outboundTls.policies.example.com"),
        bad("{'outboundTls':{'policies':{'example.com':1}}}", "outboundTls.policies.example.com"),
        bad("{'outboundTls':{'policies':{'bad key!':'verify'}}}", "outboundTls.policies.bad key!"),
        bad("{'outboundTls':{'policies':['example.com']}}", "outboundTls.policies"),
        bad("{'outboundTls':{'caFile':''}}", "outboundTls.caFile"),
        bad("{'outboundTls':{'protocols':['SSLv3']}}", "outboundTls.protocols"),
        bad("{'outboundTls':{'protocols':[]}}", "outboundTls.protocols"),
        bad("{'outboundTls':{'ciphers':['TLS_NO_SUCH_SUITE']}}", "outboundTls.ciphers"),
        bad("{'outboundTls':{'ciphers':'TLS_AES_128_GCM_SHA256'}}", "outboundTls.ciphers"),
        bad("{'shutdownGraceSeconds':-1}", "shutdownGraceSeconds"));
  }

  /** W0 with {@code fields} merged in (a later key wins in Vert.x's JSON parser). */
  private static String w(String fields) {
    return W0.substring(0, W0.length() - 1) + "," + fields + "}";
  }

  private static Arguments bad(String json, String key) {
    return Arguments.of(json.replace('\'', '"'), key);
  }

  @ParameterizedTest(name = "{1} <- {0}")
  @MethodSource("badValues")
  void badValueNamesItsKey(String json, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject(json)));
    assertEquals(key, e.key());
    assertTrue(e.getMessage().startsWith("config: " + key + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void messageIsTheDocumentedOneLiner() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson(new JsonObject("{\"limits\":{\"maxMessageSize\":-5}}")));
    assertEquals("config: limits.maxMessageSize: must be an integer >= 1024 (got \"-5\")", e.getMessage());
    ConfigException typo = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson(new JsonObject("{\"limits\":{\"maxMesageSize\":5}}")));
    assertEquals("config: limits.maxMesageSize: unknown key", typo.getMessage());
  }

  @Test
  void controlCharactersInValuesStayOnOneLine() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson(new JsonObject().put("hostname", "a\nconfig: forged")));
    assertEquals("config: hostname: must be a domain name (got \"a\\nconfig: forged\")", e.getMessage());
  }

  @Test
  void emptyFileGivesTheDefaults() {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject());
    assertEquals("localhost", c.hostname());
    assertEquals(List.of("localhost"), c.localDomains());
    assertEquals(35L * 1024 * 1024, c.limits().maxMessageSize());
    assertEquals(new Limits(36700160, 1000, 2000, 50, 300, 600, 10, 1000, 100, 1000, 512, 600, 60, 102400, 0), c.limits());
    assertEquals(new SpoolConfig("./data/spool", 4, 256, 1_000_000, 8L << 30, 256L << 20), c.spool());
    assertEquals(new DnsConfig(List.of(), 5000, 10000), c.dns());
    assertEquals(new RoutingConfig(25, null, java.util.Map.of()), c.routing());
    assertEquals(new DeliveryConfig(300, 14400, 432000, 14400, 500, 20, 100, 1), c.delivery());
    assertEquals(30, c.shutdownGraceSeconds());
    assertEquals(List.of(new ListenerConfig("mx", "127.0.0.1", 2525, ListenerConfig.Role.MX),
        new ListenerConfig("submission", "127.0.0.1", 2587, ListenerConfig.Role.SUBMISSION)), c.listeners());
    assertEquals(List.of("127.0.0.0/8", "::1/128"), c.trustedNetworks().stream().map(Cidr::toString).toList());
    assertEquals(0, c.auth().workerThreads());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.auth().workerThreadCount()); // 0: one per core
  }

  @Test
  void goodValuesAreNormalised() throws Exception {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject("""
        {"hostname": "MX.Example.COM.",
         "localDomains": ["Example.COM", "example.com", "xn--bcher-kva.example"],
         "listeners": [{"name": "in", "host": "::1", "port": 0, "role": "MX"},
                       {"name": "sub", "host": "localhost", "port": 587, "role": "Submission"}],
         "limits": {"maxMessageSize": 1e6},
         "dns": {"resolvers": ["192.0.2.53", "[2001:db8::53]:5353", "::1"]},
         "routing": {"smarthost": "[10.1.2.3]:2525", "routes": {"Example.NET": "Relay.Example:587"}}}
        """));
    assertEquals("mx.example.com", c.hostname());
    assertEquals(List.of("example.com", "xn--bcher-kva.example"), c.localDomains());
    assertEquals(ListenerConfig.Role.MX, c.listeners().get(0).role());
    assertEquals(ListenerConfig.Role.SUBMISSION, c.listeners().get(1).role());
    assertEquals(1_000_000L, c.limits().maxMessageSize());
    assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53),
        new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 5353),
        new InetSocketAddress(InetAddress.getByName("::1"), 53)), c.dns().resolvers());
    assertEquals(new NextHop("10.1.2.3", 2525, true), c.routing().smarthost());
    assertEquals(new NextHop("relay.example", 587, false), c.routing().routes().get("example.net"));
    assertTrue(c.isLocalDomain("EXAMPLE.com."));
  }

  @Test
  void aVerticleWithoutConfigOrInstancesGetsAnEmptyConfigAndOneInstanceInListOrder() {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject("{\"verticles\":[{\"class\":\"io.hermod.app.SubmittingVerticle\"},"
        + "{\"class\":\"io.hermod.app.FailingVerticle\",\"config\":{\"database\":\"db\"},\"instances\":4}]}"));
    assertEquals(List.of(new AppVerticleConfig("io.hermod.app.SubmittingVerticle", new JsonObject(), 1),
        new AppVerticleConfig("io.hermod.app.FailingVerticle", new JsonObject().put("database", "db"), 4)),
        c.verticles());
  }

  @Test
  void smarthostMayBeNull() {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject("{\"routing\":{\"smarthost\":null}}"));
    assertNull(c.routing().smarthost());
  }
}
