package io.hermod.delivery;

import io.hermod.smtp.EhloCapabilities;
import io.hermod.smtp.ServerReply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.concurrent.TimeUnit;
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
  private final SmtpConnection connection;
  private ServerReply greeting;
  private EhloCapabilities capabilities = EhloCapabilities.none();
  private boolean busy;
  private volatile boolean usable = true;

  private SmtpClientSession(Vertx vertx, Context context, ClientOptions options, String host, NetSocket socket) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.host = host;
    this.connection = new SmtpConnection(vertx, socket, options);
  }

  /**
   * Connects, reads the greeting, says EHLO and upgrades with STARTTLS as the TLS policy says.
   *
   * @param host    the server's name, for SNI and messages (not resolved: {@code address} is used)
   * @param address where to connect
   */
  public static Future<SmtpClientSession> connect(Vertx vertx, NetClient client, ClientOptions options, String host,
                                                  SocketAddress address) {
    Context context = vertx.getOrCreateContext();
    Promise<SmtpClientSession> result = Promise.promise();
    context.runOnContext(v -> attempt(vertx, context, client, options, host, address,
        options.tlsPolicy() != TlsPolicy.NONE).onComplete(result));
    return result.future();
  }

  private static Future<SmtpClientSession> attempt(Vertx vertx, Context context, NetClient client,
                                                   ClientOptions options, String host, SocketAddress address,
                                                   boolean tryStartTls) {
    ConnectOptions connect = new ConnectOptions().setRemoteAddress(address)
        .setTimeout((int) Math.min(Integer.MAX_VALUE, options.timeouts().connectMs()));
    return client.connect(connect)
        .recover(t -> Future.failedFuture(new SmtpClientException(SmtpClientException.Kind.CONNECT_FAILED,
            Stage.CONNECT, null, host + " " + address + ": " + t.getMessage(), t)))
        .compose(socket -> {
          SmtpClientSession session = new SmtpClientSession(vertx, context, options, host, socket);
          // Whatever went wrong while opening, the socket must not outlive the failed attempt.
          return session.open(tryStartTls).map(session).onFailure(t -> session.connection.close());
        })
        .recover(t -> {
          // RFC 7435 §3: opportunistic TLS must not make delivery worse than plaintext; a failed handshake is
          // retried once without STARTTLS (Postfix "may" does the same).
          if (tryStartTls && options.tlsPolicy() == TlsPolicy.OPPORTUNISTIC && t instanceof SmtpClientException
              && ((SmtpClientException) t).kind() == SmtpClientException.Kind.TLS_FAILED) {
            return attempt(vertx, context, client, options, host, address, false);
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
      if (options.requireTls()) {
        return rejectAndClose(SmtpClientException.Kind.TLS_FAILED, Stage.STARTTLS,
            ServerReply.local(451, "4.7.4", "TLS is required, but was not offered by " + host));
      }
      return Future.succeededFuture();
    });
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

  /** RFC 3207: STARTTLS, handshake, then EHLO again (the server forgets everything, §4.2). */
  private Future<Void> startTls() {
    long timeout = options.timeouts().startTlsMs();
    connection.expectStartTlsReply();
    return command("STARTTLS", Stage.STARTTLS, timeout).compose(reply -> {
      if (reply.code() != 220) {
        // e.g. 454 TLS not available: go on in plaintext on this connection, unless TLS is required.
        return options.requireTls()
            ? rejectAndClose(SmtpClientException.Kind.TLS_FAILED, Stage.STARTTLS, reply)
            : Future.succeededFuture();
      }
      return connection.upgradeToTls(tlsOptions(timeout), sniName())
          .recover(t -> {
            SmtpClientException e = new SmtpClientException(SmtpClientException.Kind.TLS_FAILED,
                Stage.TLS_HANDSHAKE, null, "TLS handshake with " + host + " failed: " + t.getMessage(), t);
            connection.fail(e);
            return Future.failedFuture(e);
          })
          .compose(v -> hello());
    });
  }

  /**
   * Opportunistic TLS does not verify the certificate (RFC 7435, Postfix "may"/"encrypt"): an MX host name
   * comes from unauthenticated DNS, so verifying it would only turn delivery off without adding security.
   */
  private static ClientSSLOptions tlsOptions(long handshakeTimeoutMs) {
    return new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("")
        .setSslHandshakeTimeout(handshakeTimeoutMs).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
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
    return onContext(() -> {
      Future<Void> ready = checkReady();
      if (ready.failed()) {
        return Future.failedFuture(ready.cause());
      }
      busy = true;
      return new TransactionRunner(vertx, connection, options, capabilities).run(tx)
          .andThen(ar -> {
            busy = false;
            usable = ar.succeeded() && ar.result().connectionUsable() && connection.isOpen();
            if (!usable) {
              connection.close();
            }
          });
    });
  }

  /** RSET (RFC 5321 §4.1.1.5): aborts any transaction; the session is unusable unless the reply is 250. */
  public Future<ServerReply> reset() {
    return onContext(() -> {
      Future<Void> ready = checkReady();
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

  /** QUIT and close; always succeeds (the server's reply to QUIT changes nothing). */
  public Future<Void> quit() {
    return onContext(() -> {
      usable = false;
      if (!connection.isOpen() || busy) {
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
