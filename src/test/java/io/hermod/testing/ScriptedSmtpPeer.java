package io.hermod.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A programmable SMTP server for tests, on 127.0.0.1 with an ephemeral port. Configure it, {@link #start()}
 * it, point a client at {@link #address()}, then assert on {@link #sessions()} and {@link #messages()};
 * {@link #close()} it at the end. Defaults: "220 peer.test ESMTP", EHLO with no extensions, 250 to
 * MAIL/RCPT/RSET/NOOP/HELO, 354 to DATA, 250 to the end of data and to BDAT, 221 to QUIT, 500 otherwise.
 * Configuration may change while it runs (it is read per command).
 *
 * <pre>
 * ScriptedSmtpPeer peer = new ScriptedSmtpPeer(vertx)
 *     .capabilities("PIPELINING", "SIZE 1000000")
 *     .on("RCPT TO:&lt;bad@x.test&gt;", "550 5.1.1 no such user")
 *     .on("RCPT", "451 4.3.0 first", "250 then ok")
 *     .afterData("250 2.0.0 queued");
 * </pre>
 */
public final class ScriptedSmtpPeer {

  /** How the peer handles STARTTLS. */
  public enum TlsMode {
    /** STARTTLS not offered; answered 502 if tried. */
    OFF,
    /** Offered; 220 then a real handshake with a self-signed certificate for "localhost". */
    REAL,
    /** Offered; 220 then garbage and close, so the client's handshake fails. */
    BROKEN
  }

  /** A reply sequence for commands starting with a prefix; the last action repeats. */
  static final class Rule {
    final String prefix;
    final List<PeerAction> actions;
    final AtomicInteger used = new AtomicInteger();

    Rule(String prefix, List<PeerAction> actions) {
      this.prefix = prefix.toUpperCase(Locale.ROOT);
      this.actions = List.copyOf(actions);
    }

    boolean matches(String command) {
      return command.toUpperCase(Locale.ROOT).startsWith(prefix);
    }

    PeerAction next() {
      int i = used.getAndIncrement();
      return actions.get(Math.min(i, actions.size() - 1));
    }
  }

  private final Vertx vertx;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<PeerSession> sessions = new CopyOnWriteArrayList<>();
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private volatile PeerAction greeting = PeerAction.reply("220 peer.test ESMTP scripted");
  private volatile List<String> capabilities = List.of();
  private volatile Rule afterData = new Rule("", List.of(PeerAction.reply("250 2.0.0 queued")));
  private volatile long dropDuringDataAfter = -1;
  private volatile long replyByteDelayMs;
  private volatile TlsMode tlsMode = TlsMode.OFF;
  private SelfSignedCertificate certificate;
  private volatile io.vertx.core.net.KeyCertOptions keyCert; // the test's own certificate, else the self-signed one
  private NetServer server;

  public ScriptedSmtpPeer(Vertx vertx) {
    this.vertx = vertx;
  }

  public ScriptedSmtpPeer greeting(String reply) {
    return greeting(PeerAction.reply(reply));
  }

  /** E.g. {@code greeting(PeerAction.silence())} for a server that never greets. */
  public ScriptedSmtpPeer greeting(PeerAction action) {
    this.greeting = action;
    return this;
  }

  /** EHLO keywords, e.g. "PIPELINING", "SIZE 1000", "8BITMIME", "SMTPUTF8", "CHUNKING", "DSN". */
  public ScriptedSmtpPeer capabilities(String... keywords) {
    this.capabilities = List.of(keywords);
    return this;
  }

  /** Replies for commands starting with {@code commandPrefix} (case-insensitive), in turn; the last repeats. */
  public ScriptedSmtpPeer on(String commandPrefix, String... replies) {
    return on(commandPrefix, Arrays.stream(replies).map(PeerAction::reply).toArray(PeerAction[]::new));
  }

  /** Actions for commands starting with {@code commandPrefix}; earlier rules win over later ones. */
  public ScriptedSmtpPeer on(String commandPrefix, PeerAction... actions) {
    rules.add(new Rule(commandPrefix, List.of(actions)));
    return this;
  }

  /** Replies to the end of data (and to a BDAT LAST), in turn; the last repeats. */
  public ScriptedSmtpPeer afterData(String... replies) {
    return afterData(Arrays.stream(replies).map(PeerAction::reply).toArray(PeerAction[]::new));
  }

  public ScriptedSmtpPeer afterData(PeerAction... actions) {
    this.afterData = new Rule("", List.of(actions));
    return this;
  }

  /** Closes the connection once this many message bytes have arrived in DATA or BDAT. */
  public ScriptedSmtpPeer dropDuringData(long afterBytes) {
    this.dropDuringDataAfter = afterBytes;
    return this;
  }

  /** Sends every reply one byte at a time, waiting this long before each byte. */
  public ScriptedSmtpPeer replyByteDelay(long millis) {
    this.replyByteDelayMs = millis;
    return this;
  }

  /** Must be set before {@link #start()} for {@link TlsMode#REAL}. */
  /** STARTTLS offered, the handshake with this key and certificate chain (e.g. one io.hermod.tls.TestCa issued). */
  public ScriptedSmtpPeer startTls(io.vertx.core.net.KeyCertOptions own) {
    this.keyCert = own;
    this.tlsMode = TlsMode.REAL;
    return this;
  }

  public ScriptedSmtpPeer startTls(TlsMode mode) {
    this.tlsMode = mode;
    return this;
  }

  private String host = "127.0.0.1";

  public Future<ScriptedSmtpPeer> start() {
    return start("127.0.0.1", 0);
  }

  /** Listens on {@code host}:{@code port} (another loopback address, say, on the port of a peer on 127.0.0.1). */
  public Future<ScriptedSmtpPeer> start(String host, int port) {
    this.host = host;
    // RFC 3207 STARTTLS: a plain listener that holds the key so that a socket can be upgraded.
    // Generating a key takes a moment: only when STARTTLS may be offered (startTls() is set before start()).
    if (tlsMode != TlsMode.OFF && keyCert == null) {
      certificate = SelfSignedCertificate.create("localhost");
      keyCert = certificate.keyCertOptions();
    }
    NetServerOptions options = new NetServerOptions().setSsl(false);
    if (keyCert != null) {
      options.setKeyCertOptions(keyCert);
    }
    server = vertx.createNetServer(options).connectHandler(socket -> {
      PeerSession session = new PeerSession();
      session.remoteAddress(socket.remoteAddress().hostAddress());
      sessions.add(session);
      int now = current.incrementAndGet();
      maxConcurrent.accumulateAndGet(now, Math::max);
      PeerConnection connection = new PeerConnection(this, vertx, socket, session);
      open.add(socket);
      socket.closeHandler(v -> {
        open.remove(socket);
        ended(session);
        session.markClosed();
        connection.closed();
      });
      connection.start();
    });
    return server.listen(port, host).map(this);
  }

  public int port() {
    return server.actualPort();
  }

  public SocketAddress address() {
    return SocketAddress.inetSocketAddress(port(), host);
  }

  /** Every connection so far, in order of arrival. */
  public List<PeerSession> sessions() {
    return new ArrayList<>(sessions);
  }

  /** Every message that reached its end of data, whatever the reply. */
  public List<ReceivedMessage> messages() {
    return new ArrayList<>(messages);
  }

  /** The most connections open at the same time. */
  /**
   * A session stops counting as open once the peer has answered QUIT and is closing it (RFC 5321 §4.1.1.10:
   * 221, then close), or when its socket closes, whichever comes first: the close handler may run after the
   * next connection was accepted, which would count a finished session twice.
   */
  void ended(PeerSession session) {
    if (session.end()) {
      current.decrementAndGet();
    }
  }

  public int maxConcurrentSessions() {
    return maxConcurrent.get();
  }

  public int openSessions() {
    return current.get();
  }

  /** Closes every open connection without a word (a server restart, an idle timeout). */
  public void dropConnections() {
    open.forEach(NetSocket::close);
  }

  public Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.andThen(ar -> {
      if (certificate != null) {
        certificate.delete();
      }
    });
  }

  // ---- read by PeerConnection ----

  PeerAction greetingAction() {
    return greeting;
  }

  List<String> capabilityList() {
    return capabilities;
  }

  PeerAction ruleFor(String command) {
    for (Rule rule : rules) {
      if (rule.matches(command)) {
        return rule.next();
      }
    }
    return null;
  }

  PeerAction afterDataAction() {
    return afterData.next();
  }

  long dropDuringDataAfter() {
    return dropDuringDataAfter;
  }

  long replyByteDelayMs() {
    return replyByteDelayMs;
  }

  TlsMode tlsMode() {
    return tlsMode;
  }

  io.vertx.core.net.KeyCertOptions keyCertOptions() {
    return keyCert;
  }

  void received(ReceivedMessage message) {
    messages.add(message);
  }
}
