package io.hermod.delivery;

import io.hermod.smtp.EhloCapabilities;
import io.hermod.smtp.ServerReply;
import io.hermod.tlspolicy.CertificateNames;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsResultType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * One outbound SMTP connection (RFC 5321 client side) on a Vert.x {@link NetClient}: greeting, EHLO (HELO
 * fallback), opportunistic STARTTLS, then any number of {@link #send transactions}, then {@link #quit}.
 * All work runs on the Vert.x context that called {@link #connect}; methods may be called from any thread.
 * A session-level failure (timeout, drop, protocol error) fails the pending future with
 * {@link SmtpClientException} and closes the socket; the session is then unusable.
 */
public final class SmtpClientSession {

  private final Vertx vertx;
  private final Context context;
  private final ClientOptions options;
  private final String host;
  private final SocketAddress address;
  private final HostTlsPolicy policy;
  private final SmtpConnection connection;
  private ServerReply greeting;
  private EhloCapabilities capabilities = EhloCapabilities.none();
  private SessionTls tls;
  private boolean busy;
  private volatile boolean usable = true;
  /** A transaction whose MAIL, RCPT and DATA are on the wire (sent after the last one's end of data), or null. */
  private Transaction ahead;

  private SmtpClientSession(Vertx vertx, Context context, ClientOptions options, String host, SocketAddress address,
                            HostTlsPolicy policy, NetSocket socket) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.host = host;
    this.address = address;
    this.policy = policy;
    this.tls = SessionTls.plaintext(policy, host, null);
    this.connection = new SmtpConnection(vertx, socket, options);
  }

  /** As {@link #connect(Vertx, NetClient, ClientOptions, String, SocketAddress, HostTlsPolicy)}, the client's default policy. */
  public static Future<SmtpClientSession> connect(Vertx vertx, NetClient client, ClientOptions options, String host,
                                                  SocketAddress address) {
    return connect(vertx, client, options, host, address, HostTlsPolicy.OPPORTUNISTIC);
  }

  /**
   * Connects, reads the greeting, says EHLO and upgrades with STARTTLS as the host's TLS policy says
   * (docs/security.md "Outbound TLS"). A policy that cannot be met fails with {@link SmtpClientException.Kind#TLS_FAILED}
   * and a local 4.7.x reply naming the policy and the failure; it never goes on in plaintext.
   *
   * @param host    the server's name, for SNI, the certificate check and messages (not resolved: {@code address} is used)
   * @param address where to connect
   * @param planned the host's policy from the job ({@link HostTlsPolicy#OPPORTUNISTIC}: the client's default)
   */
  public static Future<SmtpClientSession> connect(Vertx vertx, NetClient client, ClientOptions options, String host,
                                                  SocketAddress address, HostTlsPolicy planned) {
    Context context = vertx.getOrCreateContext();
    HostTlsPolicy policy = TlsDemand.effective(planned, options.tlsPolicy());
    Promise<SmtpClientSession> result = Promise.promise();
    context.runOnContext(v -> attempt(vertx, context, client, options, host, address, policy,
        TlsDemand.tries(policy)).onComplete(result));
    return result.future();
  }

  private static Future<SmtpClientSession> attempt(Vertx vertx, Context context, NetClient client,
                                                   ClientOptions options, String host, SocketAddress address,
                                                   HostTlsPolicy policy, boolean tryStartTls) {
    ConnectOptions connect = new ConnectOptions().setRemoteAddress(address)
        .setTimeout((int) Math.min(Integer.MAX_VALUE, options.timeouts().connectMs()));
    return client.connect(connect)
        .recover(t -> Future.failedFuture(new SmtpClientException(SmtpClientException.Kind.CONNECT_FAILED,
            Stage.CONNECT, null, host + " " + address + ": " + t.getMessage(), t)))
        .compose(socket -> {
          SmtpClientSession session = new SmtpClientSession(vertx, context, options, host, address, policy, socket);
          // Whatever went wrong while opening, the socket must not outlive the failed attempt.
          return session.open(tryStartTls).map(session).onFailure(t -> session.connection.close());
        })
        .recover(t -> {
          // RFC 7435 §3: opportunistic TLS must not make delivery worse than plaintext; a failed handshake is
          // retried once without STARTTLS (Postfix "may" does the same). Never when the policy demands TLS.
          if (tryStartTls && !TlsDemand.mustEncrypt(policy) && t instanceof SmtpClientException
              && ((SmtpClientException) t).kind() == SmtpClientException.Kind.TLS_FAILED) {
            return attempt(vertx, context, client, options, host, address, policy, false);
          }
          return Future.failedFuture(t);
        });
  }

  private Future<Void> open(boolean tryStartTls) {
    return connection.readReply(Stage.GREETING, options.timeouts().greetingMs()).compose(reply -> {
      greeting = reply;
      if (reply.code() != 220) {
        // RFC 5321 §3.1: a 554 greeting still expects QUIT; 421 means the server is closing anyway.
        return rejectAndClose(SmtpClientException.Kind.GREETING_REJECTED, Stage.GREETING, reply);
      }
      return hello();
    }).compose(v -> {
      if (tryStartTls && capabilities.startTls()) {
        return startTls();
      }
      if (tryStartTls) {
        return withoutTls("did not offer STARTTLS");
      }
      settle(null, "plaintext", host + ": no STARTTLS at level " + policy.level().keyword());
      return Future.succeededFuture();
    });
  }

  /**
   * STARTTLS was not offered or was refused: a policy that demands TLS defers (4.7.4, RFC 3207 §4.1 leaves the
   * choice to the client), a report-only one reports and goes on, opportunistic TLS just goes on.
   */
  private Future<Void> withoutTls(String why) {
    String detail = host + " " + why;
    if (TlsDemand.mustEncrypt(policy) || TlsDemand.checksPeer(policy)) {
      settle(TlsResultType.STARTTLS_NOT_SUPPORTED, null, detail);
      tls = SessionTls.plaintext(policy, host, TlsResultType.STARTTLS_NOT_SUPPORTED);
    } else {
      settle(null, "plaintext", detail);
    }
    if (TlsDemand.mustEncrypt(policy)) {
      return rejectAndClose(SmtpClientException.Kind.TLS_FAILED, Stage.STARTTLS, ServerReply.local(451, "4.7.4",
          "TLS policy " + TlsDemand.describe(policy) + " not met: " + detail));
    }
    return Future.succeededFuture();
  }

  /** EHLO, or HELO when EHLO is refused with 5xx (RFC 5321 §3.2). */
  private Future<Void> hello() {
    long timeout = options.timeouts().heloMs();
    return command("EHLO " + options.heloName(), Stage.EHLO, timeout).compose(ehlo -> {
      if (ehlo.code() == 250) {
        capabilities = EhloCapabilities.parse(ehlo);
        return Future.succeededFuture();
      }
      if (!ehlo.isPermanent()) {
        return rejectAndClose(SmtpClientException.Kind.REJECTED, Stage.EHLO, ehlo);
      }
      return command("HELO " + options.heloName(), Stage.HELO, timeout).compose(helo -> {
        if (helo.code() != 250) {
          return rejectAndClose(SmtpClientException.Kind.REJECTED, Stage.HELO, helo);
        }
        capabilities = EhloCapabilities.none();
        return Future.succeededFuture();
      });
    });
  }

  /** RFC 3207: STARTTLS, handshake, the policy's check of the peer, then EHLO again (the server forgets everything, §4.2). */
  private Future<Void> startTls() {
    long timeout = options.timeouts().startTlsMs();
    connection.expectStartTlsReply();
    return command("STARTTLS", Stage.STARTTLS, timeout).compose(reply -> {
      if (reply.code() != 220) {
        // e.g. 454 TLS not available: go on in plaintext on this connection, unless the policy demands TLS.
        return withoutTls("refused STARTTLS: " + reply);
      }
      return connection.upgradeToTls(options.tls().sslOptions(timeout), sniName())
          .recover(t -> {
            String why = "TLS handshake with " + host + " failed: " + t.getMessage();
            settle(TlsResultType.VALIDATION_FAILURE, null, why);
            ServerReply local = TlsDemand.mustEncrypt(policy)
                ? ServerReply.local(451, "4.7.5", "TLS policy " + TlsDemand.describe(policy) + " not met: " + why)
                : null;
            SmtpClientException e = new SmtpClientException(SmtpClientException.Kind.TLS_FAILED,
                Stage.TLS_HANDSHAKE, local, why, t);
            connection.fail(e);
            return Future.failedFuture(e);
          })
          .compose(v -> checkPeer())
          .compose(v -> hello());
    });
  }

  /**
   * The policy's check of the presented chain (PKIX and name for verify, TLSA for DANE), reported to TLS-RPT;
   * a failure defers with 4.7.5 unless the policy is report-only (MTA-STS testing, RFC 8461 §5).
   */
  private Future<Void> checkPeer() {
    javax.net.ssl.SSLSession ssl = connection.sslSession();
    String protocol = ssl == null ? "TLS" : ssl.getProtocol();
    String cipher = ssl == null ? "unknown" : ssl.getCipherSuite();
    TlsResultType failure = null;
    String detail = protocol + " " + cipher;
    if (TlsDemand.checksPeer(policy)) {
      X509Certificate[] chain = connection.peerChain();
      failure = options.tls().peers().check(policy, host, chain);
      if (chain.length > 0) {
        detail += ", certificate names " + CertificateNames.describe(chain[0]);
      }
    }
    tls = new SessionTls(protocol, cipher, policy, host, failure);
    settle(failure, tls.checkResult(), detail);
    if (failure != null && TlsDemand.mustEncrypt(policy)) {
      return rejectAndClose(SmtpClientException.Kind.TLS_FAILED, Stage.TLS_HANDSHAKE, ServerReply.local(451,
          "4.7.5", "TLS policy " + TlsDemand.describe(policy) + " not met by " + host + ": " + failure.label()
              + " (" + detail + ")"));
    }
    return Future.succeededFuture();
  }

  /**
   * The TLS result of this connection: counted by policy source ("result" when it succeeded, else the failure
   * type), and, under a published policy, reported to TLS-RPT (never letting the sink break a delivery).
   */
  private void settle(TlsResultType failure, String result, String detail) {
    options.tls().counter().count(policy.source(), failure == null ? result : failure.label());
    if (!TlsDemand.reported(policy)) {
      return;
    }
    try {
      options.tls().reports().record(new TlsOutcome(policy, host, address.hostAddress(), failure, detail));
    } catch (RuntimeException e) {
      java.util.logging.Logger.getLogger("io.hermod.delivery").log(java.util.logging.Level.WARNING,
          "TLS report sink failed", e);
    }
  }

  // SNI carries host names only (RFC 6066 §3), never address literals.
  private String sniName() {
    boolean literal = host == null || host.indexOf(':') >= 0 || host.matches("[0-9.]+") || host.startsWith("[");
    return literal ? null : host;
  }

  /**
   * Runs one mail transaction; see {@link TransactionResult}. Per-recipient refusals are results, not
   * failures; the future fails only with {@link SmtpClientException} (session-level) or when the session is
   * busy or unusable ({@link IllegalStateException}).
   */
  public Future<TransactionResult> send(Transaction tx) {
    return send(tx, null);
  }

  /**
   * As {@link #send(Transaction)}; {@code next} (may be null) is asked, at the end of data, for the transaction
   * to send next on this session, whose envelope then goes out in the same write when the server allows
   * (TransactionRunner). {@link #envelopeAhead()} tells whether it did; the next call must then send that one.
   */
  public Future<TransactionResult> send(Transaction tx, Supplier<Transaction> next) {
    return onContext(() -> {
      Future<Void> ready = checkReady();
      if (ready.failed()) {
        return Future.failedFuture(ready.cause());
      }
      Transaction expected = ahead;
      if (expected != null && expected != tx) {
        return Future.failedFuture(new IllegalStateException("the envelope of another transaction is on the wire"));
      }
      ahead = null;
      busy = true;
      TransactionRunner runner = new TransactionRunner(vertx, connection, options, capabilities);
      return (expected != null ? runner.resume(tx, next) : runner.run(tx, next))
          .andThen(ar -> {
            busy = false;
            usable = ar.succeeded() && ar.result().connectionUsable() && connection.isOpen();
            ahead = usable ? runner.sentAhead() : null;
            if (!usable) {
              connection.close();
            }
          });
    });
  }

  /** The transaction whose envelope the last one sent after its end of data: the only one this session takes next. */
  public Transaction envelopeAhead() {
    return ahead;
  }

  /** RSET (RFC 5321 §4.1.1.5): aborts any transaction; the session is unusable unless the reply is 250. */
  public Future<ServerReply> reset() {
    return onContext(() -> {
      Future<Void> ready = ahead != null
          ? Future.failedFuture(new IllegalStateException("the envelope of another transaction is on the wire"))
          : checkReady();
      if (ready.failed()) {
        return Future.failedFuture(ready.cause());
      }
      return command("RSET", Stage.RSET, options.timeouts().rsetMs()).andThen(ar -> {
        usable = ar.succeeded() && ar.result().code() == 250;
        if (!usable) {
          connection.close();
        }
      });
    });
  }

  /**
   * QUIT and close; always succeeds (the server's reply to QUIT changes nothing). With an envelope sent ahead the
   * server waits for that message's content, where QUIT would be a line of it: the socket is closed without a word,
   * and the server drops the transaction.
   */
  public Future<Void> quit() {
    return onContext(() -> {
      usable = false;
      if (!connection.isOpen() || busy || ahead != null) {
        return connection.close().otherwiseEmpty();
      }
      return command("QUIT", Stage.QUIT, options.timeouts().quitMs())
          .<Void>mapEmpty()
          .eventually(connection::close)
          .otherwiseEmpty();
    });
  }

  /** Closes the socket at once, without QUIT. */
  public void close() {
    context.runOnContext(v -> {
      usable = false;
      connection.close();
    });
  }

  /** True while another transaction may be sent. */
  public boolean isUsable() {
    return usable && connection.isOpen();
  }

  public boolean isTls() {
    return connection.isTls();
  }

  /** What TLS this session achieved and under which policy. */
  SessionTls tls() {
    return tls;
  }

  public EhloCapabilities capabilities() {
    return capabilities;
  }

  public ServerReply greeting() {
    return greeting;
  }

  public String host() {
    return host;
  }

  private Future<Void> checkReady() {
    if (busy) {
      return Future.failedFuture(new IllegalStateException("a transaction is in progress on this session"));
    }
    if (usable && !connection.isOpen()) {
      // The server went away while the session was idle (e.g. its own idle timeout): a typed failure, so
      // the caller treats it like any dropped connection.
      usable = false;
      return Future.failedFuture(new SmtpClientException(SmtpClientException.Kind.CONNECTION_DROPPED, Stage.MAIL,
          null, "connection to " + host + " closed while idle", null));
    }
    if (!usable) {
      return Future.failedFuture(new IllegalStateException("session to " + host + " is no longer usable"));
    }
    return Future.succeededFuture();
  }

  private Future<ServerReply> command(String line, Stage stage, long timeoutMs) {
    return connection.write(line + "\r\n", stage, timeoutMs).compose(v -> connection.readReply(stage, timeoutMs));
  }

  private <T> Future<T> rejectAndClose(SmtpClientException.Kind kind, Stage stage, ServerReply reply) {
    if (reply.code() != 421 && connection.isOpen()) {
      connection.write("QUIT\r\n", Stage.QUIT, options.timeouts().quitMs());
    }
    SmtpClientException e = new SmtpClientException(kind, stage, reply, host + " said " + reply, null);
    connection.fail(e);
    return Future.failedFuture(e);
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
