package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hermod.egress.EgressPool;
import io.hermod.egress.EgressSource;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigOverridesTest {

  /** One row per key in defaults.json: the expected variable name, a non-default value, how to read it back. */
  record Row(String path, String env, String value, Function<HermodConfig, Object> read, Object expected,
             JsonObject file) {
    @Override
    public String toString() {
      return env;
    }
  }

  static List<Row> rows() {
    return List.of(
        row("hostname", "HERMOD_HOSTNAME", "mx.example.org", HermodConfig::hostname, "mx.example.org"),
        row("localDomains", "HERMOD_LOCAL_DOMAINS", "a.test, b.test", HermodConfig::localDomains,
            List.of("a.test", "b.test")),
        row("trustedNetworks", "HERMOD_TRUSTED_NETWORKS", "[\"10.0.0.0/8\"]",
            c -> c.trustedNetworks().stream().map(Cidr::toString).toList(), List.of("10.0.0.0/8")),
        row("listeners", "HERMOD_LISTENERS", "[{\"name\":\"x\",\"host\":\"127.0.0.2\",\"port\":25,\"role\":\"mx\"}]",
            HermodConfig::listeners, List.of(new ListenerConfig("x", "127.0.0.2", 25, ListenerConfig.Role.MX))),
        row("spool.directory", "HERMOD_SPOOL_DIRECTORY", "/var/spool/hermod", c -> c.spool().directory(),
            "/var/spool/hermod"),
        row("spool.ioThreads", "HERMOD_SPOOL_IO_THREADS", "2", c -> c.spool().ioThreads(), 2),
        row("spool.maxBatch", "HERMOD_SPOOL_MAX_BATCH", "64", c -> c.spool().maxBatch(), 64),
        row("spool.highWaterMessages", "HERMOD_SPOOL_HIGH_WATER_MESSAGES", "5000",
            c -> c.spool().highWaterMessages(), 5000L),
        row("spool.highWaterBytes", "HERMOD_SPOOL_HIGH_WATER_BYTES", "1073741824",
            c -> c.spool().highWaterBytes(), 1L << 30),
        row("spool.minFreeBytes", "HERMOD_SPOOL_MIN_FREE_BYTES", "0", c -> c.spool().minFreeBytes(), 0L),
        row("spool.compactBelowLivePercent", "HERMOD_SPOOL_COMPACT_BELOW_LIVE_PERCENT", "20",
            c -> c.spool().compactBelowLivePercent(), 20),
        row("spool.removalSyncMillis", "HERMOD_SPOOL_REMOVAL_SYNC_MILLIS", "0",
            c -> c.spool().removalSyncMillis(), 0),
        row("limits.maxMessageSize", "HERMOD_LIMITS_MAX_MESSAGE_SIZE", "1000000",
            c -> c.limits().maxMessageSize(), 1_000_000L),
        row("limits.maxRecipients", "HERMOD_LIMITS_MAX_RECIPIENTS", "100", c -> c.limits().maxRecipients(), 100),
        row("limits.maxConnections", "HERMOD_LIMITS_MAX_CONNECTIONS", "10", c -> c.limits().maxConnections(), 10),
        row("limits.maxConnectionsPerIp", "HERMOD_LIMITS_MAX_CONNECTIONS_PER_IP", "3",
            c -> c.limits().maxConnectionsPerIp(), 3),
        row("limits.commandTimeoutSeconds", "HERMOD_LIMITS_COMMAND_TIMEOUT_SECONDS", "5",
            c -> c.limits().commandTimeoutSeconds(), 5),
        row("limits.dataTimeoutSeconds", "HERMOD_LIMITS_DATA_TIMEOUT_SECONDS", "6",
            c -> c.limits().dataTimeoutSeconds(), 6),
        row("limits.maxErrors", "HERMOD_LIMITS_MAX_ERRORS", "2", c -> c.limits().maxErrors(), 2),
        row("limits.maxMessagesPerConnection", "HERMOD_LIMITS_MAX_MESSAGES_PER_CONNECTION", "7",
            c -> c.limits().maxMessagesPerConnection(), 7),
        row("limits.maxReceivedHeaders", "HERMOD_LIMITS_MAX_RECEIVED_HEADERS", "30",
            c -> c.limits().maxReceivedHeaders(), 30),
        row("limits.maxLineLength", "HERMOD_LIMITS_MAX_LINE_LENGTH", "2000", c -> c.limits().maxLineLength(), 2000),
        row("limits.maxCommandLineLength", "HERMOD_LIMITS_MAX_COMMAND_LINE_LENGTH", "1024",
            c -> c.limits().maxCommandLineLength(), 1024),
        row("limits.maxConnectionRatePerIp", "HERMOD_LIMITS_MAX_CONNECTION_RATE_PER_IP", "0",
            c -> c.limits().maxConnectionRatePerIp(), 0),
        row("limits.connectionRateWindowSeconds", "HERMOD_LIMITS_CONNECTION_RATE_WINDOW_SECONDS", "10",
            c -> c.limits().connectionRateWindowSeconds(), 10),
        row("limits.maxHeaderBytes", "HERMOD_LIMITS_MAX_HEADER_BYTES", "200000",
            c -> c.limits().maxHeaderBytes(), 200000L),
        row("limits.greetPauseMillis", "HERMOD_LIMITS_GREET_PAUSE_MILLIS", "3000",
            c -> c.limits().greetPauseMillis(), 3000),
        row("dns.resolvers", "HERMOD_DNS_RESOLVERS", "127.0.0.1:5353", c -> c.dns().resolvers(),
            List.of(new InetSocketAddress("127.0.0.1", 5353))),
        row("dns.timeoutMillis", "HERMOD_DNS_TIMEOUT_MILLIS", "250", c -> c.dns().timeoutMillis(), 250),
        row("dns.cacheSize", "HERMOD_DNS_CACHE_SIZE", "0", c -> c.dns().cacheSize(), 0),
        row("dns.tryTimeoutMillis", "HERMOD_DNS_TRY_TIMEOUT_MILLIS", "200", c -> c.dns().tryTimeoutMillis(), 200),
        row("dns.tries", "HERMOD_DNS_TRIES", "5", c -> c.dns().tries(), 5),
        row("dns.maxOutstandingPerResolver", "HERMOD_DNS_MAX_OUTSTANDING_PER_RESOLVER", "16",
            c -> c.dns().maxOutstandingPerResolver(), 16),
        row("dns.maxQueuedPerResolver", "HERMOD_DNS_MAX_QUEUED_PER_RESOLVER", "0",
            c -> c.dns().maxQueuedPerResolver(), 0),
        row("dns.tempFailRetrySeconds", "HERMOD_DNS_TEMP_FAIL_RETRY_SECONDS", "30",
            c -> c.dns().tempFailRetrySeconds(), 30),
        row("dns.tempFailRetries", "HERMOD_DNS_TEMP_FAIL_RETRIES", "0", c -> c.dns().tempFailRetries(), 0),
        row("routing.deliveryPort", "HERMOD_ROUTING_DELIVERY_PORT", "2525", c -> c.routing().deliveryPort(), 2525),
        row("routing.smarthost", "HERMOD_ROUTING_SMARTHOST", "[127.0.0.1]:2540", c -> c.routing().smarthost(),
            new NextHop("127.0.0.1", 2540, true)),
        row("routing.routes", "HERMOD_ROUTING_ROUTES", "{\"relay.test\":\"[127.0.0.1]:2541\"}",
            c -> c.routing().routes(), Map.of("relay.test", new NextHop("127.0.0.1", 2541, true))),
        row("delivery.retryInitialSeconds", "HERMOD_DELIVERY_RETRY_INITIAL_SECONDS", "60",
            c -> c.delivery().retryInitialSeconds(), 60),
        row("delivery.retryMaxSeconds", "HERMOD_DELIVERY_RETRY_MAX_SECONDS", "7200",
            c -> c.delivery().retryMaxSeconds(), 7200),
        row("delivery.retrySpreadSeconds", "HERMOD_DELIVERY_RETRY_SPREAD_SECONDS", "60",
            c -> c.delivery().retrySpreadSeconds(), 60),
        row("delivery.maxJobsPerBatch", "HERMOD_DELIVERY_MAX_JOBS_PER_BATCH", "25",
            c -> c.delivery().maxJobsPerBatch(), 25),
        row("delivery.lifetimeSeconds", "HERMOD_DELIVERY_LIFETIME_SECONDS", "86400",
            c -> c.delivery().lifetimeSeconds(), 86400),
        row("delivery.delayWarningSeconds", "HERMOD_DELIVERY_DELAY_WARNING_SECONDS", "0",
            c -> c.delivery().delayWarningSeconds(), 0),
        row("delivery.maxConnections", "HERMOD_DELIVERY_MAX_CONNECTIONS", "8",
            c -> c.delivery().maxConnections(), 8),
        row("delivery.maxConnectionsPerHost", "HERMOD_DELIVERY_MAX_CONNECTIONS_PER_HOST", "3",
            c -> c.delivery().maxConnectionsPerHost(), 3),
        row("delivery.maxConnectionsPerDestination", "HERMOD_DELIVERY_MAX_CONNECTIONS_PER_DESTINATION", "4",
            c -> c.delivery().maxConnectionsPerDestination(), 4),
        row("delivery.maxMessagesPerConnection", "HERMOD_DELIVERY_MAX_MESSAGES_PER_CONNECTION", "9",
            c -> c.delivery().maxMessagesPerConnection(), 9),
        row("delivery.instances", "HERMOD_DELIVERY_INSTANCES", "2", c -> c.delivery().instances(), 2),
        row("delivery.activeWindow", "HERMOD_DELIVERY_ACTIVE_WINDOW", "100", c -> c.delivery().activeWindow(), 100),
        row("delivery.scanIntervalSeconds", "HERMOD_DELIVERY_SCAN_INTERVAL_SECONDS", "5",
            c -> c.delivery().scanIntervalSeconds(), 5),
        row("delivery.jobTimeoutSeconds", "HERMOD_DELIVERY_JOB_TIMEOUT_SECONDS", "120",
            c -> c.delivery().jobTimeoutSeconds(), 120),
        row("delivery.requeueDelayMillis", "HERMOD_DELIVERY_REQUEUE_DELAY_MILLIS", "250",
            c -> c.delivery().requeueDelayMillis(), 250),
        row("delivery.ratePerDestination", "HERMOD_DELIVERY_RATE_PER_DESTINATION", "10",
            c -> c.delivery().ratePerDestination(), 10),
        row("delivery.suspendSeconds", "HERMOD_DELIVERY_SUSPEND_SECONDS", "0", c -> c.delivery().suspendSeconds(), 0),
        row("delivery.suspendPatterns", "HERMOD_DELIVERY_SUSPEND_PATTERNS", "[\"^452\", \"(?i)slow down\"]",
            c -> c.delivery().suspendPatterns(), List.of("^452", "(?i)slow down")),
        row("delivery.connectTimeoutSeconds", "HERMOD_DELIVERY_CONNECT_TIMEOUT_SECONDS", "3",
            c -> c.delivery().connectTimeoutSeconds(), 3),
        row("delivery.commandTimeoutSeconds", "HERMOD_DELIVERY_COMMAND_TIMEOUT_SECONDS", "4",
            c -> c.delivery().commandTimeoutSeconds(), 4),
        row("delivery.dataTimeoutSeconds", "HERMOD_DELIVERY_DATA_TIMEOUT_SECONDS", "5",
            c -> c.delivery().dataTimeoutSeconds(), 5),
        row("delivery.sources", "HERMOD_DELIVERY_SOURCES",
            "{\"ip1\":{\"address\":\"127.0.0.2\",\"ehlo\":\"Out1.Example\"}}", c -> c.delivery().egress().sources(),
            Map.of("ip1", new EgressSource("ip1", "127.0.0.2", "out1.example"))),
        row("delivery.pools", "HERMOD_DELIVERY_POOLS", "{\"bulk\":{\"ip1\":3}}",
            c -> c.delivery().egress().pools(), Map.of("bulk", new EgressPool("bulk", Map.of("ip1", 3))),
            EGRESS_SOURCE),
        row("delivery.poolSelection.users", "HERMOD_DELIVERY_POOL_SELECTION_USERS", "{\"alice\":\"bulk\"}",
            c -> c.delivery().egress().poolByUser(), Map.of("alice", "bulk"), EGRESS_POOL),
        row("delivery.poolSelection.senderDomains", "HERMOD_DELIVERY_POOL_SELECTION_SENDER_DOMAINS",
            "{\"News.Example\":\"bulk\"}", c -> c.delivery().egress().poolBySenderDomain(),
            Map.of("news.example", "bulk"), EGRESS_POOL),
        row("delivery.defaultPool", "HERMOD_DELIVERY_DEFAULT_POOL", "bulk", c -> c.delivery().egress().defaultPool(),
            "bulk", EGRESS_POOL),
        row("tls.certificateFile", "HERMOD_TLS_CERTIFICATE_FILE", "/etc/hermod/cert.pem",
            c -> c.tls().certificateFile(), "/etc/hermod/cert.pem"),
        row("tls.keyFile", "HERMOD_TLS_KEY_FILE", "/etc/hermod/key.pem", c -> c.tls().keyFile(),
            "/etc/hermod/key.pem"),
        row("tls.generatedDirectory", "HERMOD_TLS_GENERATED_DIRECTORY", "/var/lib/hermod/tls",
            c -> c.tls().generatedDirectory(), "/var/lib/hermod/tls"),
        row("tls.sessionCacheSize", "HERMOD_TLS_SESSION_CACHE_SIZE", "100", c -> c.tls().sessionCacheSize(), 100),
        row("tls.sessionTimeoutSeconds", "HERMOD_TLS_SESSION_TIMEOUT_SECONDS", "600",
            c -> c.tls().sessionTimeoutSeconds(), 600),
        row("auth.usersFile", "HERMOD_AUTH_USERS_FILE", "/etc/hermod/users", c -> c.auth().usersFile(),
            "/etc/hermod/users"),
        row("auth.reloadCheckSeconds", "HERMOD_AUTH_RELOAD_CHECK_SECONDS", "0", c -> c.auth().reloadCheckSeconds(), 0),
        row("http.enabled", "HERMOD_HTTP_ENABLED", "false", c -> c.http().enabled(), false),
        row("http.host", "HERMOD_HTTP_HOST", "127.0.0.2", c -> c.http().host(), "127.0.0.2"),
        row("http.port", "HERMOD_HTTP_PORT", "9100", c -> c.http().port(), 9100),
        row("http.adminToken", "HERMOD_HTTP_ADMIN_TOKEN", "s3cret-token", c -> c.http().adminToken(), "s3cret-token"),
        row("logging.format", "HERMOD_LOGGING_FORMAT", "json", c -> c.logging().format(),
            LoggingConfig.Format.JSON),
        row("auth.maxFailures", "HERMOD_AUTH_MAX_FAILURES", "3", c -> c.auth().maxFailures(), 3),
        row("auth.failureWindowSeconds", "HERMOD_AUTH_FAILURE_WINDOW_SECONDS", "60",
            c -> c.auth().failureWindowSeconds(), 60),
        row("auth.failureDelayMillis", "HERMOD_AUTH_FAILURE_DELAY_MILLIS", "0", c -> c.auth().failureDelayMillis(), 0),
        row("auth.restrictSenderDomains", "HERMOD_AUTH_RESTRICT_SENDER_DOMAINS", "true",
            c -> c.auth().restrictSenderDomains(), true),
        row("auth.workerThreads", "HERMOD_AUTH_WORKER_THREADS", "3", c -> c.auth().workerThreads(), 3),
        row("auth.cacheSize", "HERMOD_AUTH_CACHE_SIZE", "0", c -> c.auth().cacheSize(), 0),
        row("auth.cacheTtlSeconds", "HERMOD_AUTH_CACHE_TTL_SECONDS", "60", c -> c.auth().cacheTtlSeconds(), 60),
        row("dkim.keys", "HERMOD_DKIM_KEYS",
            "[{\"domain\":\"Example.ORG\",\"selector\":\"s1\",\"privateKeyFile\":\"/k.pem\"}]",
            c -> c.dkim().keys(), List.of(new DkimConfig.Key("example.org", "s1", "/k.pem", DkimConfig.DEFAULT_HEADERS))),
        row("dkim.verify", "HERMOD_DKIM_VERIFY", "false", c -> c.dkim().verify(), false),
        row("dkim.maxSignaturesVerified", "HERMOD_DKIM_MAX_SIGNATURES_VERIFIED", "2",
            c -> c.dkim().maxSignaturesVerified(), 2),
        row("spf.policy", "HERMOD_SPF_POLICY", "reject-fail", c -> c.spf().policy(), SpfConfig.Policy.REJECT_FAIL),
        row("cluster.enabled", "HERMOD_CLUSTER_ENABLED", "false", c -> c.cluster().enabled(), false),
        row("cluster.name", "HERMOD_CLUSTER_NAME", "mail-eu", c -> c.cluster().name(), "mail-eu"),
        row("cluster.host", "HERMOD_CLUSTER_HOST", "10.0.0.7", c -> c.cluster().host(), "10.0.0.7"),
        row("cluster.port", "HERMOD_CLUSTER_PORT", "15701", c -> c.cluster().port(), 15701),
        row("cluster.hazelcastPort", "HERMOD_CLUSTER_HAZELCAST_PORT", "5801", c -> c.cluster().hazelcastPort(), 5801),
        row("cluster.join", "HERMOD_CLUSTER_JOIN", "kubernetes", c -> c.cluster().join(),
            ClusterConfig.Join.KUBERNETES),
        row("cluster.members", "HERMOD_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702", c -> c.cluster().members(),
            List.of("10.0.0.1:5701", "10.0.0.2:5702")),
        row("cluster.kubernetes.serviceName", "HERMOD_CLUSTER_KUBERNETES_SERVICE_NAME", "hermod-hz",
            c -> c.cluster().serviceName(), "hermod-hz"),
        row("cluster.kubernetes.namespace", "HERMOD_CLUSTER_KUBERNETES_NAMESPACE", "mail",
            c -> c.cluster().namespace(), "mail"),
        row("cluster.slotLeaseSeconds", "HERMOD_CLUSTER_SLOT_LEASE_SECONDS", "0", c -> c.cluster().slotLeaseSeconds(), 0),
        row("local.transports", "HERMOD_LOCAL_TRANSPORTS",
            "{\"localhost\":{\"type\":\"maildir\",\"directory\":\"/var/mail/%d/%u\"},\"*\":\"none\"}",
            c -> c.local().transports(), Map.of("localhost", new LocalTransport.Maildir("/var/mail/%d/%u"),
                "*", new LocalTransport.None())),
        row("local.users", "HERMOD_LOCAL_USERS", "{\"localhost\":[\"Bob\",\"alice\"]}",
            c -> c.local().users(), Map.of("localhost", Set.of("bob", "alice"))),
        row("local.timeoutSeconds", "HERMOD_LOCAL_TIMEOUT_SECONDS", "7", c -> c.local().timeoutSeconds(), 7),
        row("local.inlineMaxBytes", "HERMOD_LOCAL_INLINE_MAX_BYTES", "1024", c -> c.local().inlineMaxBytes(), 1024),
        row("local.workerThreads", "HERMOD_LOCAL_WORKER_THREADS", "3", c -> c.local().workerThreads(), 3),
        row("shaping.providers", "HERMOD_SHAPING_PROVIDERS",
            "[{\"name\":\"google\",\"mxSuffixes\":[\"*.google.com\"],\"maxConnections\":7}]",
            c -> c.shaping().providers(),
            List.of(new io.hermod.shaping.Provider("google", List.of(".google.com"), 7, 0))),
        row("shaping.ownSiteDomains", "HERMOD_SHAPING_OWN_SITE_DOMAINS", "[\"Own.Example\"]",
            c -> c.shaping().ownSiteDomains(), List.of("own.example")),
        row("shaping.initialConnections", "HERMOD_SHAPING_INITIAL_CONNECTIONS", "2",
            c -> c.shaping().initialConnections(), 2),
        row("shaping.failedCohortLimit", "HERMOD_SHAPING_FAILED_COHORT_LIMIT", "3",
            c -> c.shaping().failedCohortLimit(), 3),
        row("shaping.probeSeconds", "HERMOD_SHAPING_PROBE_SECONDS", "30", c -> c.shaping().probeSeconds(), 30),
        row("shaping.maxProbeSeconds", "HERMOD_SHAPING_MAX_PROBE_SECONDS", "600",
            c -> c.shaping().maxProbeSeconds(), 600),
        row("shaping.maxParked", "HERMOD_SHAPING_MAX_PARKED", "10", c -> c.shaping().maxParked(), 10),
        row("shaping.defaultRules", "HERMOD_SHAPING_DEFAULT_RULES", "false", c -> c.shaping().defaultRules(), false),
        row("shaping.rules", "HERMOD_SHAPING_RULES",
            "[{\"name\":\"r\",\"match\":\"^421\",\"action\":\"suspend\",\"durationSeconds\":60}]",
            c -> c.shaping().rules().get(0).name(), "r"),
        row("shaping.bounceRulesFile", "HERMOD_SHAPING_BOUNCE_RULES_FILE", "/etc/hermod/bounce-rules.json",
            c -> c.shaping().bounceRulesFile(), "/etc/hermod/bounce-rules.json"),
        row("flow.enabled", "HERMOD_FLOW_ENABLED", "false", c -> c.flow().enabled(), false),
        row("flow.backlogLow", "HERMOD_FLOW_BACKLOG_LOW", "2000", c -> c.flow().backlogLow(), 2000L),
        row("flow.backlogHigh", "HERMOD_FLOW_BACKLOG_HIGH", "90000", c -> c.flow().backlogHigh(), 90000L),
        row("flow.maxDelayMillis", "HERMOD_FLOW_MAX_DELAY_MILLIS", "250", c -> c.flow().maxDelayMillis(), 250),
        row("flow.burstSeconds", "HERMOD_FLOW_BURST_SECONDS", "0", c -> c.flow().burstSeconds(), 0),
        row("events.journal.enabled", "HERMOD_EVENTS_JOURNAL_ENABLED", "false", c -> c.events().journal().enabled(),
            false),
        row("events.journal.maxBytes", "HERMOD_EVENTS_JOURNAL_MAX_BYTES", "4294967296",
            c -> c.events().journal().maxBytes(), 4294967296L),
        row("events.journal.maxAgeHours", "HERMOD_EVENTS_JOURNAL_MAX_AGE_HOURS", "24",
            c -> c.events().journal().maxAgeHours(), 24),
        row("events.journal.segmentBytes", "HERMOD_EVENTS_JOURNAL_SEGMENT_BYTES", "65536",
            c -> c.events().journal().segmentBytes(), 65536L),
        row("events.journal.maxCursors", "HERMOD_EVENTS_JOURNAL_MAX_CURSORS", "50",
            c -> c.events().journal().maxCursors(), 50),
        row("events.journal.maxPending", "HERMOD_EVENTS_JOURNAL_MAX_PENDING", "500",
            c -> c.events().journal().maxPending(), 500),
        row("events.journal.commitDelayMillis", "HERMOD_EVENTS_JOURNAL_COMMIT_DELAY_MILLIS", "0",
            c -> c.events().journal().commitDelayMillis(), 0),
        row("events.feed.enabled", "HERMOD_EVENTS_FEED_ENABLED", "false", c -> c.events().feed().enabled(), false),
        row("events.feed.maxBatchEntries", "HERMOD_EVENTS_FEED_MAX_BATCH_ENTRIES", "50",
            c -> c.events().feed().maxBatchEntries(), 50),
        row("events.feed.maxBatchBytes", "HERMOD_EVENTS_FEED_MAX_BATCH_BYTES", "65536",
            c -> c.events().feed().maxBatchBytes(), 65536),
        row("events.feed.maxWaitMillis", "HERMOD_EVENTS_FEED_MAX_WAIT_MILLIS", "100",
            c -> c.events().feed().maxWaitMillis(), 100),
        row("events.feed.maxSubscriptions", "HERMOD_EVENTS_FEED_MAX_SUBSCRIPTIONS", "7",
            c -> c.events().feed().maxSubscriptions(), 7),
        row("events.feed.maxWaitingReads", "HERMOD_EVENTS_FEED_MAX_WAITING_READS", "9",
            c -> c.events().feed().maxWaitingReads(), 9),
        row("webhooks", "HERMOD_WEBHOOKS", "[]", HermodConfig::webhooks, java.util.List.of()),
        row("verticles", "HERMOD_VERTICLES",
            "[{\"class\": \"io.hermod.app.SubmittingVerticle\", \"config\": {\"to\": \"a@b.test\"}, \"instances\": 2}]",
            HermodConfig::verticles, java.util.List.of(new AppVerticleConfig("io.hermod.app.SubmittingVerticle",
                new JsonObject().put("to", "a@b.test"), 2))),
        row("outboundTls.level", "HERMOD_OUTBOUND_TLS_LEVEL", "verify", c -> c.outboundTls().level(),
            io.hermod.tlspolicy.TlsLevel.VERIFY),
        row("outboundTls.mtaSts.enabled", "HERMOD_OUTBOUND_TLS_MTA_STS_ENABLED", "true",
            c -> c.outboundTls().mtaSts().enabled(), true),
        row("outboundTls.mtaSts.caFile", "HERMOD_OUTBOUND_TLS_MTA_STS_CA_FILE", "/etc/hermod/ca.pem",
            c -> c.outboundTls().mtaSts().caFile(), "/etc/hermod/ca.pem"),
        row("outboundTls.mtaSts.policyPort", "HERMOD_OUTBOUND_TLS_MTA_STS_POLICY_PORT", "8443",
            c -> c.outboundTls().mtaSts().policyPort(), 8443),
        row("outboundTls.mtaSts.fetchTimeoutMillis", "HERMOD_OUTBOUND_TLS_MTA_STS_FETCH_TIMEOUT_MILLIS", "2000",
            c -> c.outboundTls().mtaSts().fetchTimeoutMillis(), 2000),
        row("outboundTls.mtaSts.maxPolicyBytes", "HERMOD_OUTBOUND_TLS_MTA_STS_MAX_POLICY_BYTES", "4096",
            c -> c.outboundTls().mtaSts().maxPolicyBytes(), 4096),
        row("outboundTls.mtaSts.cacheSize", "HERMOD_OUTBOUND_TLS_MTA_STS_CACHE_SIZE", "50",
            c -> c.outboundTls().mtaSts().cacheSize(), 50),
        row("outboundTls.mtaSts.maxConcurrentFetches", "HERMOD_OUTBOUND_TLS_MTA_STS_MAX_CONCURRENT_FETCHES", "4",
            c -> c.outboundTls().mtaSts().maxConcurrentFetches(), 4),
        row("outboundTls.mtaSts.refreshSeconds", "HERMOD_OUTBOUND_TLS_MTA_STS_REFRESH_SECONDS", "60",
            c -> c.outboundTls().mtaSts().refreshSeconds(), 60),
        row("outboundTls.dane.enabled", "HERMOD_OUTBOUND_TLS_DANE_ENABLED", "true",
            c -> c.outboundTls().dane().enabled(), true),
        row("outboundTls.dane.trustAnchorFile", "HERMOD_OUTBOUND_TLS_DANE_TRUST_ANCHOR_FILE",
            "/etc/hermod/anchors.zone", c -> c.outboundTls().dane().trustAnchorFile(), "/etc/hermod/anchors.zone"),
        row("outboundTls.dane.trustAdBit", "HERMOD_OUTBOUND_TLS_DANE_TRUST_AD_BIT", "true",
            c -> c.outboundTls().dane().trustAdBit(), true),
        row("outboundTls.dane.cacheSize", "HERMOD_OUTBOUND_TLS_DANE_CACHE_SIZE", "500",
            c -> c.outboundTls().dane().cacheSize(), 500),
        row("outboundTls.tlsRpt.enabled", "HERMOD_OUTBOUND_TLS_TLS_RPT_ENABLED", "true",
            c -> c.outboundTls().tlsRpt().enabled(), true),
        row("outboundTls.tlsRpt.intervalSeconds", "HERMOD_OUTBOUND_TLS_TLS_RPT_INTERVAL_SECONDS", "3600",
            c -> c.outboundTls().tlsRpt().intervalSeconds(), 3600),
        row("outboundTls.tlsRpt.organizationName", "HERMOD_OUTBOUND_TLS_TLS_RPT_ORGANIZATION_NAME", "Example Org",
            c -> c.outboundTls().tlsRpt().organizationName(), "Example Org"),
        row("outboundTls.tlsRpt.contactInfo", "HERMOD_OUTBOUND_TLS_TLS_RPT_CONTACT_INFO", "tls@example.org",
            c -> c.outboundTls().tlsRpt().contactInfo(), "tls@example.org"),
        row("outboundTls.tlsRpt.submitter", "HERMOD_OUTBOUND_TLS_TLS_RPT_SUBMITTER", "mail.example.org",
            c -> c.outboundTls().tlsRpt().submitter(), "mail.example.org"),
        row("outboundTls.tlsRpt.from", "HERMOD_OUTBOUND_TLS_TLS_RPT_FROM", "rpt@example.org",
            c -> c.outboundTls().tlsRpt().from(), "rpt@example.org"),
        row("outboundTls.tlsRpt.maxPolicies", "HERMOD_OUTBOUND_TLS_TLS_RPT_MAX_POLICIES", "100",
            c -> c.outboundTls().tlsRpt().maxPolicies(), 100),
        row("outboundTls.policies", "HERMOD_OUTBOUND_TLS_POLICIES", "{\"Example.COM\":\"verify\",\".b.test\":\"none\"}",
            c -> c.outboundTls().policies().entries(), Map.of("example.com", io.hermod.tlspolicy.TlsLevel.VERIFY,
                ".b.test", io.hermod.tlspolicy.TlsLevel.NONE)),
        row("outboundTls.caFile", "HERMOD_OUTBOUND_TLS_CA_FILE", "/etc/hermod/ca.pem",
            c -> c.outboundTls().caFile(), "/etc/hermod/ca.pem"),
        row("outboundTls.protocols", "HERMOD_OUTBOUND_TLS_PROTOCOLS", "[\"TLSv1.3\"]",
            c -> c.outboundTls().protocols(), List.of("TLSv1.3")),
        row("outboundTls.ciphers", "HERMOD_OUTBOUND_TLS_CIPHERS", "[\"TLS_AES_128_GCM_SHA256\"]",
            c -> c.outboundTls().ciphers(), List.of("TLS_AES_128_GCM_SHA256")),
        row("shutdownGraceSeconds", "HERMOD_SHUTDOWN_GRACE_SECONDS", "5", HermodConfig::shutdownGraceSeconds, 5),
        row("configReloadSeconds", "HERMOD_CONFIG_RELOAD_SECONDS", "0", HermodConfig::configReloadSeconds, 0));
  }

  private static Row row(String path, String env, String value, Function<HermodConfig, Object> read, Object expected) {
    return row(path, env, value, read, expected, new JsonObject());
  }

  /** A row whose value needs other keys set in the file (a pool needs its source). */
  private static Row row(String path, String env, String value, Function<HermodConfig, Object> read, Object expected,
                         JsonObject file) {
    return new Row(path, env, value, read, expected, file);
  }

  private static final JsonObject EGRESS_SOURCE = new JsonObject(
      "{\"delivery\":{\"sources\":{\"ip1\":{\"address\":\"127.0.0.2\"}}}}");
  private static final JsonObject EGRESS_POOL = new JsonObject(
      "{\"delivery\":{\"sources\":{\"ip1\":{\"address\":\"127.0.0.2\"}},\"pools\":{\"bulk\":{\"ip1\":1}}}}");

  @Test
  void everyKeyInDefaultsHasARow() {
    Set<String> tested = rows().stream().map(Row::path).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(ConfigSchema.get().leafPaths()), tested);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void environmentVariableSetsItsKey(Row r) {
    assertEquals(r.env(), ConfigSchema.envName(r.path()));
    HermodConfig c = ConfigLoader.fromSources(r.file(), Map.of(r.env(), r.value()), Map.of());
    assertEquals(r.expected(), r.read().apply(c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void systemPropertySetsItsKey(Row r) {
    HermodConfig c = ConfigLoader.fromSources(r.file(), Map.of(), Map.of("hermod." + r.path(), r.value()));
    assertEquals(r.expected(), r.read().apply(c));
  }

  @Test
  void precedenceIsSysPropThenEnvThenFileThenDefaults() {
    JsonObject file = new JsonObject("{\"limits\":{\"maxRecipients\":10,\"maxErrors\":11,\"maxConnections\":12}}");
    Map<String, String> env = Map.of("HERMOD_LIMITS_MAX_RECIPIENTS", "20", "HERMOD_LIMITS_MAX_ERRORS", "21");
    Map<String, String> sys = Map.of("hermod.limits.maxRecipients", "30");
    Limits l = ConfigLoader.fromSources(file, env, sys).limits();
    assertEquals(30, l.maxRecipients());   // sysprop over env and file
    assertEquals(21, l.maxErrors());       // env over file
    assertEquals(12, l.maxConnections());  // file over defaults
    assertEquals(50, l.maxConnectionsPerIp()); // default
  }

  @Test
  void overridingOneKeyKeepsItsSiblingsFromTheFile() {
    JsonObject file = new JsonObject("{\"spool\":{\"directory\":\"/srv/spool\",\"ioThreads\":8}}");
    SpoolConfig s = ConfigLoader.fromSources(file, Map.of("HERMOD_SPOOL_IO_THREADS", "2"), Map.of()).spool();
    assertEquals(new SpoolConfig("/srv/spool", 2, 256, 1_000_000, 8L << 30, 256L << 20), s);
  }

  @Test
  void foreignNamesAreIgnored() {
    HermodConfig c = ConfigLoader.fromSources(new JsonObject(),
        Map.of("PATH", "/bin", "hermod_hostname", "x", "HERMODX", "y", "LIMITS_MAX_ERRORS", "oops",
            "HERMOD_CONFIG", "/etc/hermod.json", "HERMOD_ADMIN_TOKEN", "the queue CLI's token"),
        Map.of("java.version", "17", "hermod.jar", "/tmp/hermod.jar", "hermodx.y", "z"));
    assertEquals(ConfigLoader.fromJson(new JsonObject()), c);
  }

  @Test
  void unknownOverrideNameIsAnError() {
    ConfigException env = assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(new JsonObject(),
        Map.of("HERMOD_LIMITS_MAX_MESAGE_SIZE", "1"), Map.of()));
    assertEquals("HERMOD_LIMITS_MAX_MESAGE_SIZE", env.key());
    ConfigException sys = assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(new JsonObject(),
        Map.of(), Map.of("hermod.limits.maxMesageSize", "1")));
    assertEquals("hermod.limits.maxMesageSize", sys.key());
    // Sections and keys inside listeners/routes are set only as whole values.
    for (String name : List.of("HERMOD_LIMITS", "HERMOD_LISTENERS_0_PORT", "HERMOD_ROUTING_ROUTES_EXAMPLE_COM")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ConfigLoader.fromSources(new JsonObject(), Map.of(name, "1"), Map.of()));
      assertEquals(name, e.key());
    }
  }

  @Test
  void badOverrideValueNamesKeyAndSource() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(new JsonObject(),
        Map.of("HERMOD_LIMITS_MAX_MESSAGE_SIZE", "-5"), Map.of()));
    assertEquals("config: limits.maxMessageSize: must be an integer >= 1024 (got \"-5\")"
        + " [from environment variable HERMOD_LIMITS_MAX_MESSAGE_SIZE]", e.getMessage());
    ConfigException listener = assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(new JsonObject(),
        Map.of(), Map.of("hermod.listeners", "[{\"name\":\"x\",\"host\":\"127.0.0.1\",\"port\":1e9,\"role\":\"mx\"}]")));
    assertEquals("listeners[0].port", listener.key());
    assertEquals("config: listeners[0].port: must be an integer from 0 to 65535 (got \"1.0E9\")"
        + " [from system property hermod.listeners]", listener.getMessage());
  }

  @Test
  void valuesAreJsonWhenTheyParseElseText() {
    HermodConfig c = ConfigLoader.fromSources(new JsonObject(), Map.of(
        "HERMOD_LOCAL_DOMAINS", "[\"x.test\"]",
        "HERMOD_SPOOL_DIRECTORY", "2024",          // a string key keeps a numeric text as text
        "HERMOD_ROUTING_SMARTHOST", "relay.test:587"), Map.of("hermod.dns.resolvers", ""));
    assertEquals(List.of("x.test"), c.localDomains());
    assertEquals("2024", c.spool().directory());
    assertEquals(new NextHop("relay.test", 587, false), c.routing().smarthost());
    assertEquals(List.of(), c.dns().resolvers());
    HermodConfig unset = ConfigLoader.fromSources(new JsonObject("{\"routing\":{\"smarthost\":\"relay.test\"}}"),
        Map.of("HERMOD_ROUTING_SMARTHOST", "null"), Map.of());
    assertEquals(null, unset.routing().smarthost());
    ConfigException text = assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(new JsonObject(),
        Map.of("HERMOD_LIMITS_MAX_ERRORS", "ten"), Map.of()));
    assertEquals("limits.maxErrors", text.key());
  }

  @Test
  void envNamesAreUniqueAcrossKeys() {
    List<String> paths = ConfigSchema.get().leafPaths();
    assertEquals(paths.size(), paths.stream().map(ConfigSchema::envName).distinct().count());
    assertEquals(Stream.of("HERMOD_HOSTNAME").toList(),
        paths.stream().map(ConfigSchema::envName).filter(n -> n.equals("HERMOD_HOSTNAME")).toList());
  }
}
