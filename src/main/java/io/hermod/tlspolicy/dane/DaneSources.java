package io.hermod.tlspolicy.dane;

import io.hermod.config.DaneConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.DnsClient;
import io.hermod.tlspolicy.DaneSource;
import io.vertx.core.Vertx;

/** Builds the DANE source outboundTls.dane asks for, over the resolvers and executor of the project's DNS client. */
public final class DaneSources {

  private DaneSources() {
  }

  /**
   * {@link DaneSource#NONE} when DANE is off; else lookups that validate from the trust anchors (read now: a bad
   * outboundTls.dane.trustAnchorFile fails here with a ConfigException) or trust the resolvers' AD bit.
   */
  public static DaneSource create(Vertx vertx, DaneConfig config, DnsClient dns, HermodMetrics metrics) {
    if (!config.enabled()) {
      return DaneSource.NONE;
    }
    DnssecQuestions questions = config.trustAdBit()
        ? DnssecQuestions.trustingAdBit(dns.resolver(), dns.executor())
        : DnssecQuestions.validating(dns.resolver(), TrustAnchors.load(config.trustAnchorFile()), dns.executor());
    return new DaneLookups(vertx, questions, config.cacheSize(), metrics);
  }
}
