package io.hermod.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds the typed records from a complete (defaults-merged) configuration, checking every value. */
final class ConfigBinder {

  private static final int MAX = Integer.MAX_VALUE;
  private static final long LMAX = Long.MAX_VALUE;
  private static final Set<String> LISTENER_KEYS = Set.of("name", "host", "port", "role", "tls", "instances");

  private ConfigBinder() {
  }

  static HermodConfig bind(JsonObject merged) {
    JsonSection root = new JsonSection(merged, "");
    String hostname = domain(root.key("hostname"), root.string("hostname"));
    List<String> localDomains = new ArrayList<>(new LinkedHashSet<>(
        strings(root, "localDomains", (key, s) -> domain(key, s))));
    List<Cidr> trusted = strings(root, "trustedNetworks", ConfigBinder::cidr);
    return new HermodConfig(hostname, localDomains, trusted, listeners(root), spool(root.section("spool")),
        limits(root.section("limits")), dns(root.section("dns")), routing(root.section("routing")),
        delivery(root.section("delivery")), root.intIn("shutdownGraceSeconds", 0, 3600), tlsConfig(root.section("tls")),
        auth(root.section("auth")), http(root.section("http")), logging(root.section("logging")),
        dkim(root.section("dkim")), spf(root.section("spf")), ClusterSection.bind(root.section("cluster")),
        local(root.section("local"), localDomains), root.intIn("configReloadSeconds", 0, 3600),
        ShapingSection.bind(root.section("shaping")), flow(root.section("flow")),
        EventsSection.bind(root.section("events")), WebhooksSection.bind(root), VerticlesSection.bind(root),
        OutboundTlsSection.bind(root.section("outboundTls")));
  }

  private static FlowConfig flow(JsonSection s) {
    long low = s.longIn("backlogLow", 0, LMAX - 1);
    long high = s.longIn("backlogHigh", 1, LMAX);
    if (high <= low) {
      throw ConfigException.bad(s.key("backlogHigh"), "must be greater than flow.backlogLow (" + low + ")", high);
    }
    // Capped well below any client's timeout for the end-of-data reply (RFC 5321 §4.5.3.2.6: 10 minutes).
    return new FlowConfig(s.bool("enabled"), low, high, s.intIn("maxDelayMillis", 0, 10_000),
        s.intIn("burstSeconds", 0, 3600));
  }

  private static HttpConfig http(JsonSection s) {
    boolean enabled = s.bool("enabled");
    String host = HostNames.hostOrAddress(s.string("host")).orElseThrow(() ->
        ConfigException.bad(s.key("host"), "must be an IP address or host name", s.string("host")));
    String token = s.optionalString("adminToken");
    if (enabled && token == null && !LoopbackHosts.isLoopback(host)) {
      // The admin API can delete and bounce mail: never open to the network without a token.
      throw new ConfigException(s.key("adminToken"),
          "is required when http.host is not a loopback address (http.host is \"" + host + "\")");
    }
    return new HttpConfig(enabled, host, s.intIn("port", 0, 65535), token);
  }

  private static LoggingConfig logging(JsonSection s) {
    String format = s.string("format");
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> new LoggingConfig(LoggingConfig.Format.TEXT);
      case "json" -> new LoggingConfig(LoggingConfig.Format.JSON);
      default -> throw ConfigException.bad(s.key("format"), "must be \"text\" or \"json\"", format);
    };
  }

  private static List<ListenerConfig> listeners(JsonSection root) {
    JsonArray array = root.array("listeners");
    if (array.isEmpty()) {
      throw new ConfigException("listeners", "at least one listener is needed");
    }
    List<ListenerConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "listeners[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object", array.getValue(i));
      }
      JsonSection l = new JsonSection(o, key);
      l.onlyKeys(LISTENER_KEYS);
      String name = l.string("name");
      if (!names.add(name)) {
        throw ConfigException.bad(l.key("name"), "must be unique among listeners", name);
      }
      String host = HostNames.hostOrAddress(l.string("host")).orElseThrow(() ->
          ConfigException.bad(l.key("host"), "must be an IP address or host name", o.getValue("host")));
      int port = l.intIn("port", 0, 65535);
      ListenerConfig.Role role = role(l);
      ListenerConfig.Tls tls = listenerTls(l);
      if (role == ListenerConfig.Role.SUBMISSION && tls == ListenerConfig.Tls.NONE) {
        // Submission requires AUTH, and AUTH is only offered under TLS: such a port could take no mail.
        throw ConfigException.bad(l.key("tls"), "a submission listener needs TLS (AUTH is only offered under TLS)",
            "none");
      }
      int instances = o.getValue("instances") == null ? 1 : l.intIn("instances", 1, 64);
      out.add(new ListenerConfig(name, host, port, role, tls, instances));
    }
    return out;
  }

  private static ListenerConfig.Role role(JsonSection l) {
    String role = l.string("role");
    return switch (role.toLowerCase(Locale.ROOT)) {
      case "mx" -> ListenerConfig.Role.MX;
      case "submission" -> ListenerConfig.Role.SUBMISSION;
      default -> throw ConfigException.bad(l.key("role"), "must be \"mx\" or \"submission\"", role);
    };
  }

  /** Optional: STARTTLS unless said otherwise. */
  private static ListenerConfig.Tls listenerTls(JsonSection l) {
    String tls = l.optionalString("tls");
    if (tls == null) {
      return ListenerConfig.Tls.STARTTLS;
    }
    return switch (tls.toLowerCase(Locale.ROOT)) {
      case "starttls" -> ListenerConfig.Tls.STARTTLS;
      case "implicit" -> ListenerConfig.Tls.IMPLICIT;
      case "none" -> ListenerConfig.Tls.NONE;
      default -> throw ConfigException.bad(l.key("tls"), "must be \"starttls\", \"implicit\" or \"none\"", tls);
    };
  }

  private static TlsConfig tlsConfig(JsonSection s) {
    // That both files are given together is checked when TLS starts (each key can be overridden alone).
    return new TlsConfig(s.optionalString("certificateFile"), s.optionalString("keyFile"),
        s.optionalString("generatedDirectory"), s.intIn("sessionCacheSize", 1, 1_000_000),
        s.intIn("sessionTimeoutSeconds", 1, 86_400));
  }

  private static AuthConfig auth(JsonSection s) {
    return new AuthConfig(s.optionalString("usersFile"), s.intIn("reloadCheckSeconds", 0, 3600),
        s.intIn("maxFailures", 1, 1_000_000), s.intIn("failureWindowSeconds", 1, 86400),
        s.intIn("failureDelayMillis", 0, 60_000), s.bool("restrictSenderDomains"), s.intIn("workerThreads", 0, 256),
        s.intIn("cacheSize", 0, 10_000_000), s.intIn("cacheTtlSeconds", 1, 86_400));
  }

  private static final Set<String> DKIM_KEY_KEYS = Set.of("domain", "selector", "privateKeyFile", "headers");

  private static DkimConfig dkim(JsonSection s) {
    JsonArray array = s.array("keys");
    List<DkimConfig.Key> keys = new ArrayList<>();
    Set<String> domains = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = s.key("keys") + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object", array.getValue(i));
      }
      JsonSection k = new JsonSection(o, key);
      k.onlyKeys(DKIM_KEY_KEYS);
      String domain = domain(k.key("domain"), k.string("domain")).toLowerCase(Locale.ROOT);
      if (!domains.add(domain)) {
        throw ConfigException.bad(k.key("domain"), "must be unique among dkim.keys", domain);
      }
      String selector = domain(k.key("selector"), k.string("selector"));
      List<String> headers = o.getValue("headers") == null ? DkimConfig.DEFAULT_HEADERS
          : strings(k, "headers", (hk, h) -> headerName(hk, h));
      if (headers.stream().noneMatch("From"::equalsIgnoreCase)) {
        throw ConfigException.bad(k.key("headers"), "must include From (RFC 6376 §5.4)", headers);
      }
      keys.add(new DkimConfig.Key(domain, selector, k.string("privateKeyFile"), headers));
    }
    return new DkimConfig(keys, s.bool("verify"), s.intIn("maxSignaturesVerified", 1, 50));
  }

  private static String headerName(String key, String text) {
    if (!text.matches("[!-9;-~]+")) { // RFC 5322 §3.6.8 field-name: printable ASCII except ':'
      throw ConfigException.bad(key, "must be a header field name", text);
    }
    return text;
  }

  private static SpfConfig spf(JsonSection s) {
    String policy = s.string("policy");
    return new SpfConfig(switch (policy.toLowerCase(Locale.ROOT)) {
      case "off" -> SpfConfig.Policy.OFF;
      case "tag" -> SpfConfig.Policy.TAG;
      case "reject-fail" -> SpfConfig.Policy.REJECT_FAIL;
      default -> throw ConfigException.bad(s.key("policy"), "must be \"off\", \"tag\" or \"reject-fail\"", policy);
    });
  }

  private static SpoolConfig spool(JsonSection s) {
    return new SpoolConfig(s.string("directory"), s.intIn("ioThreads", 1, 64), s.intIn("maxBatch", 1, 65536),
        s.longIn("highWaterMessages", 1, LMAX), s.longIn("highWaterBytes", 1, LMAX),
        s.longIn("minFreeBytes", 0, LMAX), s.intIn("compactBelowLivePercent", 0, 100),
        s.intIn("removalSyncMillis", 0, 10_000));
  }

  private static Limits limits(JsonSection s) {
    return new Limits(s.longIn("maxMessageSize", 1024, LMAX), s.intIn("maxRecipients", 1, MAX),
        s.intIn("maxConnections", 1, MAX), s.intIn("maxConnectionsPerIp", 1, MAX),
        s.intIn("commandTimeoutSeconds", 1, 86400), s.intIn("dataTimeoutSeconds", 1, 86400),
        s.intIn("maxErrors", 1, MAX), s.intIn("maxMessagesPerConnection", 1, MAX),
        s.intIn("maxReceivedHeaders", 1, 1000), s.intIn("maxLineLength", 1000, 65536),
        s.intIn("maxCommandLineLength", 512, 4096), s.intIn("maxConnectionRatePerIp", 0, MAX),
        s.intIn("connectionRateWindowSeconds", 1, 86400), s.longIn("maxHeaderBytes", 1024, LMAX),
        s.intIn("greetPauseMillis", 0, 30000));
  }

  private static DnsConfig dns(JsonSection s) {
    List<InetSocketAddress> resolvers = strings(s, "resolvers", (key, text) -> {
      InetSocketAddress address;
      try {
        address = ResolverAddresses.parse(text);
      } catch (IllegalArgumentException e) {
        throw ConfigException.bad(key, "must be \"ip\" or \"ip:port\" (" + e.getMessage() + ")", text);
      }
      if (address.isUnresolved()) { // a resolver named by a host name would need DNS to find DNS
        throw ConfigException.bad(key, "must be an IP address, not a host name", text);
      }
      return address;
    });
    // A dns.tryTimeoutMillis above dns.timeoutMillis is not an error: a query never waits past the question's deadline.
    return new DnsConfig(resolvers, s.intIn("timeoutMillis", 1, 600_000), s.intIn("cacheSize", 0, 10_000_000),
        s.intIn("tryTimeoutMillis", 1, 600_000), s.intIn("tries", 1, 20),
        s.intIn("maxOutstandingPerResolver", 1, 65_535), s.intIn("maxQueuedPerResolver", 0, 10_000_000),
        s.intIn("tempFailRetrySeconds", 1, 86_400), s.intIn("tempFailRetries", 0, 100));
  }

  private static RoutingConfig routing(JsonSection s) {
    String smarthostText = s.optionalString("smarthost");
    NextHop smarthost = smarthostText == null ? null : nextHop(s.key("smarthost"), smarthostText);
    Map<String, NextHop> routes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : s.map("routes")) {
      String key = s.key("routes") + "." + e.getKey();
      String domain = domain(key, e.getKey());
      if (!(e.getValue() instanceof String hop)) {
        throw ConfigException.bad(key, "must be a next hop string like \"[10.1.2.3]:25\"", e.getValue());
      }
      if (routes.put(domain, nextHop(key, hop)) != null) {
        throw ConfigException.bad(key, "domain appears twice (names are case-insensitive)", e.getKey());
      }
    }
    return new RoutingConfig(s.intIn("deliveryPort", 1, 65535), smarthost, routes);
  }

  /** Keys of both maps are local domains (or "*" for transports): anything else is a mistake worth an error. */
  private static LocalConfig local(JsonSection s, List<String> localDomains) {
    Map<String, LocalTransport> transports = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : s.map("transports")) {
      String key = s.key("transports") + "." + e.getKey();
      String domain = localDomainKey(key, e.getKey(), localDomains, true);
      transports.put(domain, localTransport(key, e.getValue()));
    }
    Map<String, Set<String>> users = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : s.map("users")) {
      String key = s.key("users") + "." + e.getKey();
      String domain = localDomainKey(key, e.getKey(), localDomains, false);
      if (!(e.getValue() instanceof JsonArray list)) {
        throw ConfigException.bad(key, "must be a list of local parts", e.getValue());
      }
      Set<String> parts = new LinkedHashSet<>();
      for (Object part : list) {
        if (!(part instanceof String p) || p.isBlank()) {
          throw ConfigException.bad(key, "must be a list of non-empty strings", part);
        }
        parts.add(p.trim().toLowerCase(Locale.ROOT));
      }
      users.put(domain, parts);
    }
    return new LocalConfig(transports, users, s.intIn("timeoutSeconds", 1, 86400),
        s.intIn("inlineMaxBytes", 0, 64 * 1024 * 1024), s.intIn("workerThreads", 1, 64));
  }

  private static String localDomainKey(String key, String text, List<String> localDomains, boolean starAllowed) {
    if (starAllowed && text.equals(LocalConfig.ANY_DOMAIN)) {
      return text;
    }
    String domain = domain(key, text);
    if (!localDomains.contains(domain)) {
      throw ConfigException.bad(key, "must be one of localDomains" + (starAllowed ? " or \"*\"" : ""), text);
    }
    return domain;
  }

  /** {"type": "maildir", ...} or the shorthand "none". */
  private static LocalTransport localTransport(String key, Object value) {
    if ("none".equals(value)) {
      return new LocalTransport.None();
    }
    if (!(value instanceof JsonObject o)) {
      throw ConfigException.bad(key, "must be \"none\" or an object with \"type\"", value);
    }
    try {
      return LocalTransport.fromJson(o);
    } catch (IllegalArgumentException e) {
      throw ConfigException.bad(key, e.getMessage(), o.encode());
    }
  }

  private static DeliveryConfig delivery(JsonSection s) {
    int initial = s.intIn("retryInitialSeconds", 1, MAX);
    int max = s.intIn("retryMaxSeconds", 1, MAX);
    if (max < initial) { // the doubling starts at the initial delay and stops at the maximum
      throw ConfigException.bad(s.key("retryMaxSeconds"),
          "must not be below delivery.retryInitialSeconds (" + initial + ")", max);
    }
    return new DeliveryConfig(initial, max, s.intIn("lifetimeSeconds", 1, MAX),
        s.intIn("delayWarningSeconds", 0, MAX), s.intIn("maxConnections", 1, MAX),
        s.intIn("maxConnectionsPerDestination", 1, MAX), s.intIn("maxMessagesPerConnection", 1, MAX),
        s.intIn("instances", 1, 64), s.intIn("activeWindow", 1, 10_000_000),
        s.intIn("scanIntervalSeconds", 1, 86400), s.intIn("jobTimeoutSeconds", 1, 86400),
        s.intIn("requeueDelayMillis", 1, 3_600_000), s.intIn("ratePerDestination", 0, 1_000_000),
        s.intIn("suspendSeconds", 0, 86400), strings(s, "suspendPatterns", ConfigBinder::regex),
        s.intIn("maxConnectionsPerHost", 0, MAX),
        s.intIn("connectTimeoutSeconds", 1, 3600), s.intIn("commandTimeoutSeconds", 1, 3600),
        s.intIn("dataTimeoutSeconds", 1, 3600), EgressSection.bind(s), s.intIn("retrySpreadSeconds", 0, MAX),
        s.intIn("maxJobsPerBatch", 1, 1000));
  }

  private static String regex(String key, String text) {
    try {
      Pattern.compile(text);
      return text;
    } catch (PatternSyntaxException e) {
      throw ConfigException.bad(key, "must be a regular expression (" + e.getDescription() + ")", text);
    }
  }

  /** Reads a list of strings, each turned into T by {@code parse(keyOfElement, text)}. */
  static <T> List<T> strings(JsonSection s, String name, ElementParser<T> parse) {
    JsonArray array = s.array(name);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String key = s.key(name) + "[" + i + "]";
      if (!(array.getValue(i) instanceof String text) || text.isBlank()) {
        throw ConfigException.bad(key, "must be a non-empty string", array.getValue(i));
      }
      out.add(parse.apply(key, text.trim()));
    }
    return out;
  }

  interface ElementParser<T> {
    T apply(String key, String text);
  }

  private static String domain(String key, String text) {
    return HostNames.domain(text).orElseThrow(() -> ConfigException.bad(key, "must be a domain name", text));
  }

  private static Cidr cidr(String key, String text) {
    return parsed(key, text, Cidr::parse, "must be an IP network like \"192.0.2.0/24\" or \"2001:db8::/32\"");
  }

  private static NextHop nextHop(String key, String text) {
    return parsed(key, text, NextHop::parse, "must be a next hop like \"[10.1.2.3]:25\" or \"relay.example\"");
  }

  private static <T> T parsed(String key, String text, Function<String, T> parser, String expectation) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw ConfigException.bad(key, expectation, text);
    }
  }
}
