package io.hermod.server;

import io.hermod.auth.AuthThrottle;
import io.hermod.auth.Authenticator;
import io.hermod.config.HermodConfig;
import io.hermod.config.LiveConfig;
import io.hermod.dkim.AuthenticationResults;
import io.hermod.dkim.DkimDns;
import io.hermod.dkim.DkimKeyring;
import io.hermod.dkim.InboundAuthentication;
import io.hermod.dkim.MessageDkimVerifier;
import io.hermod.flow.FlowGate;
import io.hermod.metrics.HermodMetrics;
import io.hermod.spf.SpfEvaluator;
import io.hermod.spool.Spool;
import io.hermod.tls.ServerCertificate;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What every listener instance shares: the live configuration, the spool, the connection counters, the clock,
 * the drain flag set on shutdown, the TLS certificate and the authenticator.
 *
 * @param committed   called with the queue id of every message the listener committed (the router trigger)
 * @param certificate the server certificate, or null when no listener uses TLS
 * @param metrics     where the listener counts sessions, commands and messages
 * @param live        the configuration in force; a session takes {@link #config()} once, at its start
 * @param dkim        the DKIM signing keys in force (possibly none)
 * @param authThrottle AUTH brute-force protection
 * @param spf         the SPF evaluator (sessions consult spf.policy before using it)
 * @param dkimDns     where DKIM keys of inbound mail are looked up (sessions consult dkim.verify)
 * @param flow        flow control: how long a committed message's 250 waits while delivery lags (io.hermod.flow)
 */
public record ServerContext(LiveConfig live, Spool spool, ConnectionLimiter limiter, Clock clock,
                            Drain drain, Consumer<String> committed, ServerCertificate certificate,
                            Authenticator authenticator, HermodMetrics metrics, DkimKeyring dkim,
                            AuthThrottle authThrottle, SpfEvaluator spf, DkimDns dkimDns, FlowGate flow) {

  public static ServerContext create(LiveConfig live, Spool spool, Consumer<String> committed,
                                     ServerCertificate certificate, Authenticator authenticator,
                                     HermodMetrics metrics, DkimKeyring dkim, AuthThrottle authThrottle,
                                     SpfEvaluator spf, DkimDns dkimDns, FlowGate flow) {
    HermodConfig config = live.current();
    ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(),
        config.limits().maxConnectionsPerIp(), ConnectionRate.create(config.limits()));
    live.onChange(c -> limiter.setLimits(c.limits()));
    return new ServerContext(live, spool, limiter,
        Clock.systemUTC(), new Drain(), committed, certificate, authenticator, metrics, dkim, authThrottle, spf, dkimDns, flow);
  }

  /**
   * Follows a message from another server to its Authentication-Results field (RFC 8601), or null when
   * neither SPF nor DKIM verification ran.
   *
   * @param config    the session's configuration (dkim.verify, dkim.maxSignaturesVerified, hostname)
   * @param spfResult the SPF result of the transaction, or null
   */
  public InboundAuthentication inboundAuthentication(HermodConfig config, AuthenticationResults.Spf spfResult) {
    MessageDkimVerifier dkim = !config.dkim().verify() ? null
        : new MessageDkimVerifier(dkimDns, config.dkim().maxSignaturesVerified(), clock.instant());
    return spfResult == null && dkim == null ? null : new InboundAuthentication(config.hostname(), spfResult, dkim);
  }

  /** The configuration in force now; a session reads it once when it starts and keeps it. */
  public HermodConfig config() {
    return live.current();
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
