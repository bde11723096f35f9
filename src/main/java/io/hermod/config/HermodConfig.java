package io.hermod.config;

import java.util.List;

/**
 * The whole configuration, typed and validated. Built by {@link ConfigLoader} from conf/hermod.json,
 * overridden by HERMOD_* environment variables and hermod.* system properties. Every key is documented in
 * docs/config.md.
 *
 * @param hostname        our name in the greeting, EHLO reply and Received headers ("hostname")
 * @param localDomains    domains we accept mail for from anyone ("localDomains"), lower case
 * @param trustedNetworks clients allowed to relay without authentication ("trustedNetworks", CIDR)
 * @param listeners       SMTP listeners ("listeners")
 * @param spool           the spool ("spool")
 * @param limits          protocol and resource limits ("limits")
 * @param dns             resolver settings ("dns")
 * @param routing         next-hop overrides ("routing")
 * @param delivery        outbound delivery, retries and shaping ("delivery")
 * @param shutdownGraceSeconds how long transactions in flight may finish after SIGTERM ("shutdownGraceSeconds")
 * @param tls             server certificate ("tls")
 * @param auth            SMTP AUTH user store and brute-force limits ("auth")
 * @param http            the operations HTTP server: metrics, health, queue admin ("http")
 * @param logging         log format ("logging")
 * @param dkim            DKIM signing keys ("dkim")
 * @param spf             SPF checks on mx listeners ("spf")
 * @param cluster         clustering ("cluster", docs/cluster.md)
 * @param local           local delivery ("local")
 * @param shaping         sites and providers: how destinations are grouped for sending ("shaping")
 * @param configReloadSeconds how often the configuration file is checked for changes to apply live; 0 = never
 *                        ("configReloadSeconds", docs/operations.md "Hot reload")
 * @param flow            flow control: intake slowed while delivery lags ("flow")
 * @param events          the durable event feed: journal and bus feed ("events", docs/events.md)
 * @param webhooks        HTTP endpoints that get the event feed as batched POSTs ("webhooks", docs/events.md)
 * @param verticles       application verticles deployed with Hermod ("verticles", README "Your application and Hermod")
 * @param outboundTls     outbound TLS policy: levels, MTA-STS, DANE, TLS-RPT ("outboundTls", docs/security.md)
 */
public record HermodConfig(String hostname, List<String> localDomains, List<Cidr> trustedNetworks,
                           List<ListenerConfig> listeners, SpoolConfig spool, Limits limits, DnsConfig dns,
                           RoutingConfig routing, DeliveryConfig delivery, int shutdownGraceSeconds,
                           TlsConfig tls, AuthConfig auth, HttpConfig http, LoggingConfig logging,
                           DkimConfig dkim, SpfConfig spf, ClusterConfig cluster, LocalConfig local,
                           int configReloadSeconds, ShapingConfig shaping, FlowConfig flow,
                           EventsConfig events, List<WebhookConfig> webhooks, List<AppVerticleConfig> verticles,
                           OutboundTlsConfig outboundTls) {

  public HermodConfig {
    localDomains = List.copyOf(localDomains);
    trustedNetworks = List.copyOf(trustedNetworks);
    listeners = List.copyOf(listeners);
    webhooks = List.copyOf(webhooks);
    verticles = List.copyOf(verticles);
  }

  /** True if {@code domain} (any case, trailing dot ignored) is one of ours. */
  public boolean isLocalDomain(String domain) {
    String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    for (String local : localDomains) {
      if (local.equalsIgnoreCase(d)) {
        return true;
      }
    }
    return false;
  }
}
