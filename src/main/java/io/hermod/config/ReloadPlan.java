package io.hermod.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a hot reload can apply. Most settings take effect for the next session, routing decision or
 * submission; those bound to resources created once at start (listening sockets, the spool, the HTTP server,
 * the cluster, the resolver, thread pools, the delivery connection pools, the per-destination cap shared
 * by the cluster) keep their running value until a restart. The effective configuration is the new one
 * with those parts taken from the running one, so {@code config()} always describes what runs. Pure.
 *
 * @param effective       the configuration to publish
 * @param changed         top-level keys (sections) whose value changed and now apply
 * @param restartRequired keys that changed but apply only after a restart (they keep their running value)
 */
public record ReloadPlan(HermodConfig effective, List<String> changed, List<String> restartRequired) {

  public ReloadPlan {
    changed = List.copyOf(changed);
    restartRequired = List.copyOf(restartRequired);
  }

  /** Compares the running configuration with a valid new one. */
  public static ReloadPlan between(HermodConfig running, HermodConfig next) {
    List<String> restart = new ArrayList<>();
    Keep<HermodConfig> keep = new Keep<>(running, next, restart);
    List<ListenerConfig> listeners = keep.whole("listeners", HermodConfig::listeners);
    SpoolConfig spool = keep.whole("spool", HermodConfig::spool);
    DnsConfig dns = keep.whole("dns", HermodConfig::dns);
    AuthConfig auth = auth(running.auth(), next.auth(), restart);
    HttpConfig http = keep.whole("http", HermodConfig::http);
    LoggingConfig logging = keep.whole("logging", HermodConfig::logging);
    ClusterConfig cluster = keep.whole("cluster", HermodConfig::cluster);
    int reloadSeconds = keep.whole("configReloadSeconds", HermodConfig::configReloadSeconds);
    DeliveryConfig delivery = delivery(running.delivery(), next.delivery(), restart);
    LocalConfig local = local(running.local(), next.local(), restart);
    HermodConfig effective = new HermodConfig(next.hostname(), next.localDomains(), next.trustedNetworks(),
        listeners, spool, next.limits(), dns, next.routing(), delivery, next.shutdownGraceSeconds(),
        tls(running.tls(), next.tls(), restart),
        auth, http, logging, next.dkim(), next.spf(), cluster, local, reloadSeconds,
        shaping(running.shaping(), next.shaping(), restart), next.flow(),
        keep.whole("events", HermodConfig::events), keep.whole("webhooks", HermodConfig::webhooks),
        keep.whole("verticles", HermodConfig::verticles), outboundTls(running.outboundTls(), next.outboundTls(), restart));
    return new ReloadPlan(effective, changedSections(running, effective), restart);
  }

  /** True when nothing applies and nothing waits for a restart (the file changed in form only). */
  public boolean isEmpty() {
    return changed.isEmpty() && restartRequired.isEmpty();
  }

  /**
   * The router's retry, expiry and suspension keys reload; the pool sizes, the delivery verticles' timeouts
   * and the per-destination connection cap and rate (leased cluster-wide, so every node must agree) do not.
   */
  private static DeliveryConfig delivery(DeliveryConfig run, DeliveryConfig next, List<String> restart) {
    Keep<DeliveryConfig> k = new Keep<>(run, next, restart, "delivery.");
    return new DeliveryConfig(next.retryInitialSeconds(), next.retryMaxSeconds(), next.lifetimeSeconds(),
        next.delayWarningSeconds(), k.whole("maxConnections", DeliveryConfig::maxConnections),
        k.whole("maxConnectionsPerDestination", DeliveryConfig::maxConnectionsPerDestination),
        k.whole("maxMessagesPerConnection", DeliveryConfig::maxMessagesPerConnection),
        k.whole("instances", DeliveryConfig::instances), k.whole("activeWindow", DeliveryConfig::activeWindow),
        k.whole("scanIntervalSeconds", DeliveryConfig::scanIntervalSeconds), next.jobTimeoutSeconds(),
        next.requeueDelayMillis(), k.whole("ratePerDestination", DeliveryConfig::ratePerDestination),
        next.suspendSeconds(), next.suspendPatterns(),
        k.whole("maxConnectionsPerHost", DeliveryConfig::maxConnectionsPerHost),
        k.whole("connectTimeoutSeconds", DeliveryConfig::connectTimeoutSeconds),
        k.whole("commandTimeoutSeconds", DeliveryConfig::commandTimeoutSeconds),
        k.whole("dataTimeoutSeconds", DeliveryConfig::dataTimeoutSeconds), egress(run, next, restart),
        next.retrySpreadSeconds(), next.maxJobsPerBatch());
  }

  /**
   * Providers, own-site domains, rules and the bounce rules file reload (the router reads them per job); the
   * sites' window, dead-site and parking settings are the dispatcher's, made once at start.
   */
  private static ShapingConfig shaping(ShapingConfig run, ShapingConfig next, List<String> restart) {
    Keep<ShapingConfig> k = new Keep<>(run, next, restart, "shaping.");
    return new ShapingConfig(next.providers(), next.ownSiteDomains(),
        k.whole("initialConnections", ShapingConfig::initialConnections),
        k.whole("failedCohortLimit", ShapingConfig::failedCohortLimit),
        k.whole("probeSeconds", ShapingConfig::probeSeconds), k.whole("maxProbeSeconds", ShapingConfig::maxProbeSeconds),
        k.whole("maxParked", ShapingConfig::maxParked), next.defaultRules(), next.rules(), next.bounceRulesFile());
  }

  /**
   * Pools, the pool selection and the default pool reload (the router reads them per job); sources do not
   * (the delivery verticles bind one client per source address at start). While a change of sources waits for
   * a restart, the pools keep their running value too: they may name sources that do not run yet.
   */
  private static io.hermod.egress.EgressConfig egress(DeliveryConfig run, DeliveryConfig next,
                                                      List<String> restart) {
    if (run.egress().sources().equals(next.egress().sources())) {
      return next.egress();
    }
    restart.add("delivery.sources");
    return run.egress();
  }

  /** Certificate files reload (ServerCertificate.refresh); the session cache is part of the TLS contexts built at start. */
  private static TlsConfig tls(TlsConfig run, TlsConfig next, List<String> restart) {
    Keep<TlsConfig> k = new Keep<>(run, next, restart, "tls.");
    return new TlsConfig(next.certificateFile(), next.keyFile(), next.generatedDirectory(),
        k.whole("sessionCacheSize", TlsConfig::sessionCacheSize),
        k.whole("sessionTimeoutSeconds", TlsConfig::sessionTimeoutSeconds));
  }

  /** The sender-domain rule reloads (sessions read it); the user store and the AUTH throttle are built once. */
  private static AuthConfig auth(AuthConfig run, AuthConfig next, List<String> restart) {
    Keep<AuthConfig> k = new Keep<>(run, next, restart, "auth.");
    return new AuthConfig(k.whole("usersFile", AuthConfig::usersFile),
        k.whole("reloadCheckSeconds", AuthConfig::reloadCheckSeconds), k.whole("maxFailures", AuthConfig::maxFailures),
        k.whole("failureWindowSeconds", AuthConfig::failureWindowSeconds),
        k.whole("failureDelayMillis", AuthConfig::failureDelayMillis), next.restrictSenderDomains(),
        k.whole("workerThreads", AuthConfig::workerThreads), k.whole("cacheSize", AuthConfig::cacheSize),
        k.whole("cacheTtlSeconds", AuthConfig::cacheTtlSeconds));
  }

  /** Transports and user lists reload (the router and RCPT read them); the local verticle's pools do not. */
  /**
   * The levels (outboundTls.level, outboundTls.policies) reload into the router; the delivery client's trust
   * anchors, versions and ciphers are set up at start, and so is DANE's source (its trust anchors, cache).
   */
  private static OutboundTlsConfig outboundTls(OutboundTlsConfig run, OutboundTlsConfig next, List<String> restart) {
    Keep<OutboundTlsConfig> k = new Keep<>(run, next, restart, "outboundTls.");
    return new OutboundTlsConfig(next.level(), next.mtaSts(), k.whole("dane", OutboundTlsConfig::dane), next.tlsRpt(),
        next.policies(),
        k.whole("caFile", OutboundTlsConfig::caFile), k.whole("protocols", OutboundTlsConfig::protocols),
        k.whole("ciphers", OutboundTlsConfig::ciphers));
  }

  private static LocalConfig local(LocalConfig run, LocalConfig next, List<String> restart) {
    Keep<LocalConfig> k = new Keep<>(run, next, restart, "local.");
    return new LocalConfig(next.transports(), next.users(), k.whole("timeoutSeconds", LocalConfig::timeoutSeconds),
        k.whole("inlineMaxBytes", LocalConfig::inlineMaxBytes), k.whole("workerThreads", LocalConfig::workerThreads));
  }

  private static List<String> changedSections(HermodConfig a, HermodConfig b) {
    List<String> out = new ArrayList<>();
    diff(out, "hostname", a.hostname(), b.hostname());
    diff(out, "localDomains", a.localDomains(), b.localDomains());
    diff(out, "trustedNetworks", a.trustedNetworks(), b.trustedNetworks());
    diff(out, "limits", a.limits(), b.limits());
    diff(out, "auth", a.auth(), b.auth());
    diff(out, "routing", a.routing(), b.routing());
    diff(out, "shaping", a.shaping(), b.shaping());
    diff(out, "delivery", a.delivery(), b.delivery());
    diff(out, "shutdownGraceSeconds", a.shutdownGraceSeconds(), b.shutdownGraceSeconds());
    diff(out, "tls", a.tls(), b.tls());
    diff(out, "dkim", a.dkim(), b.dkim());
    diff(out, "flow", a.flow(), b.flow());
    diff(out, "spf", a.spf(), b.spf());
    diff(out, "local", a.local(), b.local());
    diff(out, "outboundTls", a.outboundTls(), b.outboundTls());
    return out;
  }

  private static void diff(List<String> out, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(key);
    }
  }

  /** Keeps the running value of a restart-only key, noting it when the new file wanted another. */
  private record Keep<C>(C running, C next, List<String> restart, String prefix) {
    Keep(C running, C next, List<String> restart) {
      this(running, next, restart, "");
    }

    <V> V whole(String key, Function<C, V> get) {
      V run = get.apply(running);
      if (!Objects.equals(run, get.apply(next))) {
        restart.add(prefix + key);
      }
      return run;
    }
  }
}
