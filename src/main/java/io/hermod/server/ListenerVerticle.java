package io.hermod.server;

import io.hermod.config.Cidr;
import io.hermod.config.HermodConfig;
import io.hermod.config.ListenerConfig;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.hermod.tls.SharedServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The inbound role (Postfix's smtpd): one SMTP listener turning sessions into spooled messages. Deploy
 * several instances on the same address to use several event loops; Vert.x spreads connections.
 */
public final class ListenerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ListenerVerticle.class.getName());

  private final ListenerConfig listener;
  private final ServerContext ctx;
  private final Set<SmtpConnection> connections = new HashSet<>();
  private NetServer server;
  private long timer;

  public ListenerVerticle(ListenerConfig listener, ServerContext ctx) {
    this.listener = listener;
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    NetServerOptions options = new NetServerOptions()
        .setHost(listener.host())
        .setPort(listener.port())
        .setTcpNoDelay(true);
    if (listener.tls() != ListenerConfig.Tls.NONE && ctx.certificate() != null) {
      // Session resumption for STARTTLS upgrades and implicit TLS alike: the engine builds this listener's context.
      options.setSslEngineOptions(ctx.certificate().engineOptions());
    }
    if (listener.tls() == ListenerConfig.Tls.IMPLICIT) {
      // RFC 8314 §3: TLS from the first byte. (STARTTLS listeners stay plain: each upgrade passes its options.)
      ServerSSLOptions tls = ctx.certificate().sslOptions();
      options.setSsl(true).setKeyCertOptions(tls.getKeyCertOptions())
          .setEnabledSecureTransportProtocols(tls.getEnabledSecureTransportProtocols());
    }
    server = vertx.createNetServer(options);
    server.connectHandler(this::accept);
    timer = vertx.setPeriodic(1000, id -> tick());
    Future<NetServer> listening = server.listen();
    if (listener.tls() == ListenerConfig.Tls.STARTTLS) {
      SharedServerTls.shareManager(server); // Vert.x bug: STARTTLS on the second instance of a shared port
    }
    // A bind failure names the listener: "Address already in use" alone does not say which of several.
    return listening.onSuccess(s ->
        LOG.fine(() -> "listener " + listener.name() + " on " + listener.host() + ":" + s.actualPort()))
        .recover(e -> Future.failedFuture(new IllegalStateException("listener " + listener.name() + " ("
            + listener.role().name().toLowerCase(java.util.Locale.ROOT) + ") on " + listener.host() + ":"
            + listener.port() + ": " + e.getMessage() + " (listeners[].host, listeners[].port)", e)));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void accept(NetSocket socket) {
    String ip = socket.remoteAddress().hostAddress();
    if (ctx.drain().draining()) {
      ctx.metrics().connection(listener.name(), false); // metrics
      refuse(socket, Replies.SHUTTING_DOWN);
      return;
    }
    HermodConfig config = ctx.config(); // this session's configuration, even if a reload comes during it
    boolean trusted = isTrusted(config, ip);
    ConnectionLimiter.Verdict verdict = ctx.limiter().acquire(ip, trusted);
    if (verdict != ConnectionLimiter.Verdict.ACCEPT) {
      ctx.metrics().connection(listener.name(), false); // metrics
      refuse(socket, switch (verdict) {
        case TOO_MANY_TOTAL -> Replies.TOO_MANY_CONNECTIONS;
        case TOO_FAST_FROM_ADDRESS -> Replies.connectionRateExceeded(config.hostname());
        default -> Replies.TOO_MANY_FROM_YOU;
      });
      return;
    }
    TlsState tls = socket.isSsl() ? TlsState.of(socket.sslSession()) : null;
    // metrics: accepted connection, open session (and the implicit-TLS handshake)
    ctx.metrics().connection(listener.name(), true);
    if (tls != null) {
      ctx.metrics().tlsHandshake(tls.protocol(), tls.handshake());
    }
    java.util.concurrent.atomic.AtomicInteger open = ctx.metrics().sessions(listener.name());
    open.incrementAndGet();
    SmtpSession session = new SmtpSession(ctx, config, listener, ip, trusted, tls);
    SmtpConnection[] self = new SmtpConnection[1];
    long now = System.nanoTime() / 1_000_000;
    self[0] = new SmtpConnection(socket, session, config.limits(), now, () -> {
      ctx.limiter().release(ip);
      open.decrementAndGet(); // metrics
      connections.remove(self[0]);
    });
    connections.add(self[0]);
    // postscreen's pregreet test, for other servers' clients only (docs/config.md limits.greetPauseMillis)
    int pause = config.limits().greetPauseMillis();
    boolean pregreetTest = pause > 0 && !trusted && listener.role() == ListenerConfig.Role.MX;
    self[0].start(Replies.greeting(config.hostname()), now, pregreetTest ? vertx.timer(pause) : null);
  }

  private static void refuse(NetSocket socket, Reply reply) {
    socket.write(reply.encode()).onComplete(x -> socket.close());
  }

  private static boolean isTrusted(HermodConfig config, String ip) {
    InetAddress address;
    try {
      address = InetAddress.getByName(ip); // a literal from the socket: no DNS lookup
    } catch (UnknownHostException e) {
      return false;
    }
    for (Cidr net : config.trustedNetworks()) {
      if (net.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private void tick() {
    long now = System.nanoTime() / 1_000_000;
    boolean draining = ctx.drain().draining();
    for (SmtpConnection c : Set.copyOf(connections)) {
      c.checkTimeout(now);
      if (draining) {
        c.drainIfIdle();
      }
    }
  }

  /** Shutdown: stop accepting and end the sessions still open (the grace period has passed by now). */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    for (SmtpConnection c : Set.copyOf(connections)) {
      c.closeWith(Replies.SHUTTING_DOWN);
    }
    return server.close();
  }
}
