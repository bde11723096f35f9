package io.hermod.server;

import io.hermod.auth.AuthThrottle;
import io.hermod.auth.Authenticator;
import io.hermod.config.HermodConfig;
import io.hermod.dkim.AuthenticationResults;
import io.hermod.dkim.DkimDns;
import io.hermod.dkim.DkimKeys;
import io.hermod.dkim.InboundAuthentication;
import io.hermod.dkim.MessageDkimVerifier;
import io.hermod.metrics.HermodMetrics;
import io.hermod.spf.SpfEvaluator;
import io.hermod.spool.Spool;
import io.hermod.tls.ServerCertificate;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What every listener instance shares: the configuration, the spool, the connection counters, the clock,
 * the drain flag set on shutdown, the TLS certificate and the authenticator.
 *
 * @param committed   called with the queue id of every message the listener committed (the router trigger)
 * @param certificate the server certificate, or null when no listener uses TLS
 * @param metrics     where the listener counts sessions, commands and messages
 * @param dkim        the DKIM signing keys (possibly none)
 * @param authThrottle AUTH brute-force protection
 * @param spf         the SPF evaluator, or null when spf.policy is off
 * @param dkimDns     where DKIM keys of inbound mail are looked up, or null when dkim.verify is off
 */
public record ServerContext(HermodConfig config, Spool spool, ConnectionLimiter limiter, Clock clock,
                            Drain drain, Consumer<String> committed, ServerCertificate certificate,
                            Authenticator authenticator, HermodMetrics metrics, DkimKeys dkim,
                            AuthThrottle authThrottle, SpfEvaluator spf, DkimDns dkimDns) {

  public static ServerContext create(HermodConfig config, Spool spool, Consumer<String> committed,
                                     ServerCertificate certificate, Authenticator authenticator,
                                     HermodMetrics metrics, DkimKeys dkim, AuthThrottle authThrottle,
                                     SpfEvaluator spf, DkimDns dkimDns) {
    return new ServerContext(config, spool,
        new ConnectionLimiter(config.limits().maxConnections(), config.limits().maxConnectionsPerIp()),
        Clock.systemUTC(), new Drain(), committed, certificate, authenticator, metrics, dkim, authThrottle, spf, dkimDns);
  }

  /**
   * Follows a message from another server to its Authentication-Results field (RFC 8601), or null when
   * neither SPF nor DKIM verification ran.
   *
   * @param spfResult the SPF result of the transaction, or null
   */
  public InboundAuthentication inboundAuthentication(AuthenticationResults.Spf spfResult) {
    MessageDkimVerifier dkim = dkimDns == null ? null
        : new MessageDkimVerifier(dkimDns, config.dkim().maxSignaturesVerified(), clock.instant());
    return spfResult == null && dkim == null ? null : new InboundAuthentication(config.hostname(), spfResult, dkim);
  }

  /** Set once on SIGTERM: new sessions and new transactions get 421 4.3.2, transactions in flight finish. */
  public static final class Drain {
    private volatile boolean draining;

    public void start() {
      draining = true;
    }

    public boolean draining() {
      return draining;
    }
  }
}
