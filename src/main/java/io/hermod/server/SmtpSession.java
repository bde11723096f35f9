package io.hermod.server;

import io.hermod.auth.AuthenticatedUser;
import io.hermod.auth.Verification;
import io.hermod.config.HermodConfig;
import io.hermod.config.ListenerConfig;
import io.hermod.config.SpfConfig;
import io.hermod.spf.ReceivedSpf;
import io.hermod.spf.SpfResult;
import io.hermod.dkim.AuthenticationResults;
import io.hermod.dkim.MessageDkim;
import io.hermod.smtp.Command;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.hermod.spool.Envelope;
import io.hermod.spool.TlsRequest;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Recipient;
import io.hermod.flow.FlowGate;
import io.vertx.core.Future;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Logger;

/**
 * The SMTP state machine of one connection (RFC 5321 §4.1.4 ordering): no I/O of its own; it answers
 * commands with {@link Action}s and talks to the spool through futures. One instance per connection, used
 * on the connection's event loop only.
 */
final class SmtpSession {

  private static final Logger LOG = Logger.getLogger(SmtpSession.class.getName());

  private final ServerContext ctx;
  private final HermodConfig config;
  private final ListenerConfig listener;
  private final String clientIp;
  private final boolean trusted;
  private final RecipientPolicy policy;
  private final EhloExtensions extensions;

  private String helo;
  private boolean extended;
  private Transaction tx;
  private MessageReceiver receiver;
  private String queueId;
  private Reply chunkReply;
  private int messages;
  private TlsState tls;          // null until TLS is up (at once on an implicit-TLS listener)
  private AuthenticatedUser authUser; // RFC 4954: the authenticated user, or null
  private SaslExchange sasl;     // an AUTH exchange waiting for the client's next response
  private boolean improperPipelining; // RFC 2920 §3.1: the client sent commands ahead where it may not (sticky)
  private final SessionSummary summary;

  /**
   * @param config  the configuration this session keeps to its end (a reload applies to the next session)
   * @param trusted the client is in trustedNetworks (may relay without AUTH)
   * @param tls     the TLS already in place (implicit TLS), or null
   */
  SmtpSession(ServerContext ctx, HermodConfig config, ListenerConfig listener, String clientIp, boolean trusted,
              TlsState tls) {
    this.ctx = ctx;
    this.config = config;
    this.listener = listener;
    this.clientIp = clientIp;
    this.trusted = trusted;
    this.tls = tls;
    this.policy = new RecipientPolicy(config);
    this.extensions = new EhloExtensions(config.limits());
    this.summary = new SessionSummary(clientIp, listener.name());
  }

  /**
   * @param ahead more input followed the command's line in what the client had sent: it did not wait for our
   *              reply
   */
  Action handle(Command command, boolean ahead) {
    String verb = verb(command);
    summary.command(verb);
    if (ahead && !improperPipelining && !pipeliningAllowed(command)) {
      improperPipelining = true;
      LOG.info(() -> "improper pipelining: client=" + clientIp + " after " + verb
          + (extended ? "" : " without EHLO") + (mayRelay() ? " (trusted, not refused)" : ""));
    }
    return counted(verb, dispatch(command)); // metrics
  }

  /**
   * RFC 2920 §3.1: commands may be sent ahead only once EHLO has offered PIPELINING, and not after one that must
   * end a group (EHLO, HELO, DATA, VRFY, EXPN, TURN, QUIT, NOOP). DATA and QUIT have their own answers to what
   * follows them (554 and close, close); BDAT is followed by its chunk.
   */
  private boolean pipeliningAllowed(Command command) {
    if (command instanceof Command.Bdat || command instanceof Command.Data || command instanceof Command.Quit) {
      return true;
    }
    return extended && !(command instanceof Command.Hello || command instanceof Command.Noop
        || command instanceof Command.Vrfy || command instanceof Command.NotImplemented);
  }

  /**
   * Postfix's "permit_mynetworks, permit_sasl_authenticated, reject_unauth_pipelining": a client caught sending
   * ahead gets 503 5.5.0 to every MAIL, RCPT, DATA and BDAT of the session, unless it may relay.
   */
  private boolean refusedForPipelining() {
    return improperPipelining && !mayRelay();
  }

  /** The reason the session is about to end (the first one given counts). */
  void ending(SessionSummary.End how) {
    summary.ending(how);
  }

  /** The connection is closed: the summary line (docs/operations.md). */
  void ended() {
    summary.log(tls != null, authUser == null ? null : authUser.name());
  }

  private Action dispatch(Command command) {
    // Java 17: no pattern matching in switch yet, so an instanceof chain.
    if (command instanceof Command.Hello c) {
      return hello(c);
    } else if (command instanceof Command.Mail c) {
      return mail(c);
    } else if (command instanceof Command.Rcpt c) {
      return rcpt(c);
    } else if (command instanceof Command.Data) {
      return data();
    } else if (command instanceof Command.Bdat c) {
      return bdat(c);
    } else if (command instanceof Command.Rset) {
      resetTransaction();
      return respond(Replies.RESET_OK);
    } else if (command instanceof Command.Noop) {
      return respond(Replies.OK);
    } else if (command instanceof Command.Quit) {
      return new Action.Close(Replies.closing(config.hostname()));
    } else if (command instanceof Command.Vrfy) {
      return respond(Replies.VRFY);
    } else if (command instanceof Command.Help) {
      return respond(Replies.HELP);
    } else if (command instanceof Command.StartTls) {
      return startTls();
    } else if (command instanceof Command.Auth c) {
      return auth(c);
    }
    // EXPN, TURN, ETRN... are not offered.
    return respond(Replies.NOT_IMPLEMENTED);
  }

  /** RFC 3207 §4: only before TLS, only where the listener offers it. */
  private Action startTls() {
    if (tls != null) {
      return respond(Replies.TLS_ALREADY_ACTIVE);
    }
    if (listener.tls() != ListenerConfig.Tls.STARTTLS) {
      return respond(Replies.NOT_IMPLEMENTED);
    }
    if (ctx.certificate() == null) {
      return respond(Replies.TLS_UNAVAILABLE);
    }
    resetTransaction();
    return new Action.StartTls(Replies.STARTTLS_READY, ctx.certificate().sslOptions());
  }

  /**
   * RFC 3207 §4.2: after the handshake the session starts over, as if just connected: no HELO, no
   * transaction, nothing the client said before TLS is kept.
   */
  void tlsStarted(TlsState state) {
    resetTransaction();
    helo = null;
    extended = false;
    sasl = null;
    tls = state;
    ctx.metrics().tlsHandshake(state.protocol(), state.handshake()); // metrics
  }

  /** A STARTTLS handshake that failed (metrics only: the connection closes). */
  void tlsFailed() {
    ctx.metrics().tlsHandshake(null, null);
  }

  /** The client sent something before our greeting ended (limits.greetPauseMillis): it is disconnected. */
  void pregreet() {
    LOG.info(() -> "pregreet: client=" + clientIp + " talked before the greeting ended");
  }

  /** A line that is not a command we could parse (metrics: verb "INVALID"). */
  void invalidCommand(Reply reply) {
    summary.command("INVALID");
    ctx.metrics().command("INVALID", reply.code());
  }

  private boolean offersStartTls() {
    return tls == null && listener.tls() == ListenerConfig.Tls.STARTTLS && ctx.certificate() != null;
  }

  /** RFC 4954 §4, §6. AUTH is offered only under TLS: a password never crosses the wire in clear. */
  private Action auth(Command.Auth c) {
    if (helo == null) {
      return respond(Replies.NEED_HELO);
    }
    if (tls == null) {
      return respond(Replies.ENCRYPTION_REQUIRED);
    }
    if (authUser != null) {
      return respond(Replies.AUTH_ALREADY);
    }
    if (tx != null) {
      return respond(Replies.AUTH_IN_TRANSACTION);
    }
    if (ctx.authThrottle().failures().blocked(clientIp)) {
      return respond(Replies.AUTH_TOO_MANY_FAILURES); // brute-force protection, docs/security.md
    }
    SaslExchange exchange = SaslExchange.start(c.mechanism(), ctx.authenticator());
    if (exchange == null) {
      return respond(Replies.AUTH_UNKNOWN_MECHANISM);
    }
    return authStep(exchange, c.initialResponse() == null ? exchange.begin() : exchange.respond(c.initialResponse()));
  }

  /** The client's line after a 334 challenge. */
  Action authResponse(String line) {
    SaslExchange exchange = sasl;
    sasl = null;
    return authStep(exchange, exchange.respond(line));
  }

  private Action authStep(SaslExchange exchange, SaslExchange.Outcome outcome) {
    if (outcome instanceof SaslExchange.Challenge c) {
      sasl = exchange;
      return new Action.Challenge(c.reply());
    }
    if (outcome instanceof SaslExchange.Refused r) {
      return respond(r.reply());
    }
    if (outcome instanceof SaslExchange.Pending p) {
      return new Action.Later(p.next().map(next -> authStep(exchange, next))
          .otherwise(err -> respond(Replies.AUTH_TEMPORARY_FAILURE)));
    }
    if (outcome instanceof SaslExchange.Failed f) {
      ctx.metrics().login(exchange.mechanism(), false, Verification.COMPUTED); // metrics
      return new Action.Later(authFailed(f.user()));
    }
    SaslExchange.Succeeded ok = (SaslExchange.Succeeded) outcome;
    ctx.metrics().login(exchange.mechanism(), true, ok.verification()); // metrics
    authUser = ok.user();
    LOG.fine(() -> "auth ok: client=" + clientIp + " user=" + LogSafe.token(authUser.name()));
    return respond(Replies.AUTH_OK);
  }

  /**
   * A wrong password: counted against the client's address, answered after a delay (a timer: it slows a
   * guesser down without holding a thread); the failure that uses up the allowance closes with 421.
   */
  private Future<Action> authFailed(String user) {
    ctx.metrics().authFailure(); // metrics
    boolean exhausted = ctx.authThrottle().failures().recordFailure(clientIp);
    LOG.info(() -> "auth failed: client=" + clientIp + " user=" + LogSafe.token(user)
        + (exhausted ? " (too many failures, closing)" : ""));
    return ctx.authThrottle().failureDelay().map(v -> exhausted
        ? new Action.Close(Replies.AUTH_FAILURES_CLOSING)
        : respond(Replies.AUTH_FAILED));
  }

  /** Trusted networks and authenticated users may relay (RFC 6409 §4.3 for submission). */
  private boolean mayRelay() {
    return trusted || authUser != null;
  }

  /** RFC 5321 §4.1.4: HELO/EHLO may come at any time and resets the transaction. */
  private Action hello(Command.Hello c) {
    if (ctx.drain().draining()) {
      return new Action.Close(Replies.SHUTTING_DOWN);
    }
    resetTransaction();
    helo = c.name();
    extended = c.extended();
    return respond(extended
        ? Replies.ehlo(config.hostname(), extensions.keywords(offersStartTls(), tls != null && authUser == null, tls != null))
        : Replies.helo(config.hostname(), ReceivedHeader.safe(c.name())));
  }

  private Action mail(Command.Mail c) {
    if (helo == null) {
      return respond(Replies.NEED_HELO);
    }
    if (refusedForPipelining()) {
      resetTransaction();
      return respond(Replies.IMPROPER_PIPELINING);
    }
    if (tx != null) {
      return respond(Replies.NESTED_MAIL);
    }
    if (listener.role() == ListenerConfig.Role.SUBMISSION && authUser == null) {
      return respond(Replies.AUTH_REQUIRED); // RFC 6409 §4.3, RFC 4954 §6
    }
    if (ctx.drain().draining()) {
      return new Action.Close(Replies.SHUTTING_DOWN);
    }
    if (messages >= config.limits().maxMessagesPerConnection()) {
      return new Action.Close(Replies.TOO_MANY_MESSAGES);
    }
    Command.MailParameters p = c.params();
    Reply refusal = extensions.checkMailParameters(p, extended, tls != null); // AUTH, REQUIRETLS: under TLS
    if (refusal == null && c.sender() != null && !c.sender().isAscii() && !p.smtpUtf8()) {
      refusal = Replies.NEEDS_SMTPUTF8;
    }
    if (refusal == null && authUser != null && config.auth().restrictSenderDomains()
        && !authUser.mayUseSender(c.sender() == null ? "" : c.sender().address())) {
      refusal = Replies.senderNotOwned(authUser.name()); // docs/security.md
    }
    if (refusal == null && ctx.spool().overHighWater()) {
      refusal = Replies.SPOOL_FULL;
    }
    if (refusal != null) {
      return respond(refusal);
    }
    Transaction next = new Transaction(c.sender(), p, authSubmitter(p.auth()));
    if (checksSpf()) {
      return new Action.Later(spf(next));
    }
    tx = next;
    return respond(Replies.SENDER_OK);
  }

  /**
   * RFC 4954 §5: MAIL FROM's AUTH=&lt;mailbox&gt; is kept (and passed on to a next hop that offers AUTH) only from an
   * authenticated client, whom we trust to name the original submitter; with auth.restrictSenderDomains only a
   * mailbox of its own domains. Otherwise the server "MUST behave as if the AUTH=&lt;&gt; parameter was supplied":
   * null.
   */
  private String authSubmitter(String auth) {
    if (auth == null || auth.equals("<>")) {
      return null;
    }
    boolean trusted = authUser != null && (!config.auth().restrictSenderDomains() || authUser.mayUseSender(auth));
    if (!trusted) {
      LOG.fine(() -> "MAIL AUTH=" + ReceivedHeader.safe(auth) + " from client=" + clientIp + " taken as AUTH=<>");
      return null;
    }
    return auth;
  }

  /** SPF (RFC 7208 §2.4) is checked on mx listeners for clients that are neither trusted nor authenticated. */
  private boolean checksSpf() {
    return config.spf().policy() != SpfConfig.Policy.OFF && listener.role() == ListenerConfig.Role.MX && !mayRelay();
  }

  /** Checks SPF (DNS off the event loop, the answer back on it); the connection reads nothing meanwhile. */
  private Future<Action> spf(Transaction next) {
    InetAddress ip;
    try {
      ip = InetAddress.getByName(clientIp); // a literal: no DNS
    } catch (UnknownHostException e) {
      tx = next;
      return Future.succeededFuture(respond(Replies.SENDER_OK));
    }
    String sender = next.senderAddress();
    return ctx.spf().check(ip, sender, helo).map(verdict -> {
      LOG.fine(() -> "spf " + verdict.result().keyword() + ": client=" + clientIp + " sender=" + sender);
      if (config.spf().policy() == SpfConfig.Policy.REJECT_FAIL) {
        if (verdict.result() == SpfResult.FAIL) {
          return respond(Replies.SPF_FAIL);
        }
        if (verdict.result() == SpfResult.TEMPERROR) {
          return respond(Replies.SPF_TEMPERROR);
        }
      }
      next.receivedSpf = ReceivedSpf.header(verdict, clientIp, sender, helo, config.hostname());
      next.spfResult = AuthenticationResults.Spf.of(verdict.result().keyword(), sender, helo);
      tx = next;
      return respond(Replies.SENDER_OK);
    });
  }

  private Action rcpt(Command.Rcpt c) {
    if (refusedForPipelining()) {
      resetTransaction();
      return respond(Replies.IMPROPER_PIPELINING);
    }
    if (tx == null) {
      return respond(Replies.NEED_MAIL);
    }
    tx.rcptAttempts++;
    if (!c.recipient().isAscii() && !tx.params.smtpUtf8()) {
      return respond(Replies.NEEDS_SMTPUTF8);
    }
    if (!extended && (!c.params().notifyOn().isEmpty() || c.params().orcpt() != null)) {
      return respond(Replies.unknownParameter(c.params().orcpt() != null ? "ORCPT" : "NOTIFY"));
    }
    Reply refusal = policy.check(c.recipient(), mayRelay());
    if (refusal != null) {
      return respond(refusal);
    }
    if (tx.recipients.size() >= config.limits().maxRecipients()) {
      return respond(Replies.TOO_MANY_RECIPIENTS);
    }
    tx.recipients.add(Recipient.pending(c.recipient().address(), c.params().orcpt(), c.params().notifyOn()));
    return respond(Replies.RECIPIENT_OK);
  }

  private Action data() {
    Reply refusal = transactionReady();
    if (refusal == null && tx.chunking) {
      refusal = Replies.DATA_AFTER_BDAT;
    }
    if (refusal != null) {
      return respond(refusal);
    }
    return new Action.ReadData(startMessage());
  }

  private Action bdat(Command.Bdat c) {
    Reply refusal = transactionReady();
    if (refusal == null && tx.chunkingFailure != null) {
      refusal = tx.chunkingFailure;
    }
    if (refusal != null) {
      chunkReply = refusal;
      return new Action.ReadChunk(c.size(), c.last(), null);
    }
    if (!tx.chunking) {
      tx.chunking = true;
      startMessage();
    }
    return new Action.ReadChunk(c.size(), c.last(), receiver);
  }

  /** Null when MAIL and at least one RCPT succeeded; else why DATA/BDAT cannot start. */
  private Reply transactionReady() {
    if (refusedForPipelining()) {
      resetTransaction();
      return Replies.IMPROPER_PIPELINING;
    }
    if (tx == null) {
      return Replies.NEED_MAIL;
    }
    if (tx.recipients.isEmpty()) {
      // RFC 2920 §3.1: after pipelined RCPTs that all failed, DATA gets 554; with no RCPT at all, 503.
      return tx.rcptAttempts == 0 ? Replies.NEED_RCPT : Replies.NO_VALID_RECIPIENTS;
    }
    return null;
  }

  private MessageReceiver startMessage() {
    queueId = ctx.spool().newId();
    Envelope envelope = envelope(0, TlsRequest.DEFAULT);
    MessageWriter writer = ctx.spool().begin(envelope);
    receiver = new MessageReceiver(writer, config.limits());
    io.hermod.dkim.DkimKeys keys = ctx.dkim().current();
    if (mayRelay() && !keys.isEmpty()) {
      // Only mail from our own users and networks is signed, never mail relayed in from the internet.
      receiver.signWith(new MessageDkim(keys));
    }
    if (listener.role() == ListenerConfig.Role.MX && !mayRelay()) {
      // RFC 8601; mail from other servers
      receiver.authenticateWith(ctx.inboundAuthentication(config, tx.spfResult), config.hostname());
    }
    if (tx.receivedSpf != null) {
      receiver.prepend(tx.receivedSpf); // RFC 7208 §9.1: above our Received field
    }
    String forRcpt = tx.recipients.size() == 1 ? tx.recipients.get(0).address() : null;
    receiver.prepend(ReceivedHeader.build(helo, clientIp, config.hostname(), protocol(), queueId, forRcpt,
        tls == null ? null : tls.comment(), ctx.clock().instant().atZone(ZoneOffset.UTC)));
    return receiver;
  }

  /** RFC 3848 / RFC 6531 §4.3 "with" keywords: ESMTP, ESMTPS, ESMTPA, ESMTPSA, UTF8SMTP, UTF8SMTPSA... */
  private String protocol() {
    if (!extended) {
      return "SMTP";
    }
    return (tx.params.smtpUtf8() ? "UTF8SMTP" : "ESMTP") + (tls != null ? "S" : "") + (authUser != null ? "A" : "");
  }

  /** End of a BDAT chunk: the reply to it, committing the message on LAST. */
  Future<Reply> endOfChunk(Action.ReadChunk chunk) {
    return chunkReply(chunk).onSuccess(r -> {
      if (r != null) {
        ctx.metrics().command("BDAT", r.code()); // metrics
      }
    });
  }

  private Future<Reply> chunkReply(Action.ReadChunk chunk) {
    if (chunk.receiver() == null) {
      Reply r = chunkReply;
      chunkReply = null;
      if (chunk.last()) {
        resetTransaction();
      }
      return Future.succeededFuture(r);
    }
    if (!chunk.last()) {
      Reply refusal = chunk.receiver().refusal();
      if (refusal != null) {
        tx.chunkingFailure = refusal;
        return Future.succeededFuture(refusal);
      }
      return Future.succeededFuture(Replies.chunkReceived(chunk.size()));
    }
    return endOfMessage();
  }

  /** End of DATA or the LAST chunk: commit durably, then 250 with the queue id (after the flow delay, if any). */
  Future<Reply> endOfMessage() {
    return countedEnd(commit()); // metrics: refusals at the end of the data, spool failures
  }

  private Future<Reply> commit() {
    MessageReceiver r = receiver;
    Reply refusal = r.finish();
    if (refusal != null) {
      resetTransaction();
      return Future.succeededFuture(refusal);
    }
    String id = queueId;
    Envelope envelope = envelope(r.contentSize(), TlsRequest.of(tx.params.requireTls(), r.tlsNotRequired()));
    receiver = null; // committed or failed, the writer is no longer ours to abort
    resetTransaction();
    return r.prependHeaders(ctx.clock().instant())
        .compose(headers -> r.writer().commit(envelope.withPrependHeaders(headers))).map(committed -> {
      messages++;
      summary.accepted(id);
      ctx.metrics().messageAccepted(envelope.size()); // metrics
      ctx.committed().accept(id);
      return Replies.queued(id);
    }).otherwise(SpoolFailures::reply)
        // Flow control: the 250 (still "on disk") waits while delivery lags; the socket is not read meanwhile.
        .compose(reply -> reply.isError() ? Future.succeededFuture(reply)
            : ctx.flow().pace(FlowGate.Intake.SMTP).map(reply));
  }

  /** The transaction's envelope, built at once (each wither would build another per message). */
  private Envelope envelope(long size, TlsRequest tlsRequest) {
    Instant now = ctx.clock().instant();
    List<Recipient> rcpts = tx.recipients;
    Command.MailParameters p = tx.params;
    return new Envelope(queueId, tx.senderAddress(), rcpts, p.envid(), p.ret(), p.body(), p.smtpUtf8(),
        clientIp, helo, authUser == null ? null : authUser.name(), listener.name(), now, size, now, false, false,
        null, null, null, tx.authSubmitter, tlsRequest);
  }

  /** True between MAIL and the end of the transaction. */
  boolean inTransaction() {
    return tx != null;
  }

  /** Drops the transaction, aborting a message being written (RSET, HELO, errors, connection loss). */
  void resetTransaction() {
    if (receiver != null) {
      receiver.abort();
      receiver = null;
    }
    tx = null;
    chunkReply = null;
  }

  // ---- metrics: commands by verb and reply class, refused transactions ----

  /** The verb tag: the command's keyword (a fixed set: the parser knows these). */
  static String verb(Command command) {
    if (command instanceof Command.Hello h) {
      return h.extended() ? "EHLO" : "HELO";
    }
    if (command instanceof Command.NotImplemented) {
      return "OTHER"; // EXPN, TURN...: not free text, but kept to one series
    }
    return VERBS.get(command.getClass());
  }

  /**
   * A command class's verb tag, made once per class: upper-casing its name per command made a new string each
   * time, whose hash the session summary and the meters then computed again (issue #17's profile).
   */
  private static final ClassValue<String> VERBS = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return type.getSimpleName().toUpperCase(java.util.Locale.ROOT).intern();
    }
  };

  /** Counts the command once its reply is known (now, or when an AUTH check or a BDAT chunk ends). */
  private Action counted(String verb, Action action) {
    if (action instanceof Action.Respond r) {
      countReply(verb, r.reply());
    } else if (action instanceof Action.Close c) {
      countReply(verb, c.reply());
    } else if (action instanceof Action.Challenge) {
      ctx.metrics().command(verb, 334);
    } else if (action instanceof Action.StartTls) {
      ctx.metrics().command(verb, 220);
    } else if (action instanceof Action.ReadData) {
      ctx.metrics().command(verb, 354);
    } else if (action instanceof Action.Await a) {
      a.reply().onSuccess(r -> countReply(verb, r));
    }
    // ReadChunk: BDAT is counted in endOfChunk, when its reply is known.
    return action;
  }

  private void countReply(String verb, Reply reply) {
    ctx.metrics().command(verb, reply.code());
    if (reply.isError() && (verb.equals("MAIL") || (verb.equals("RCPT") && reply.code() == 554))) {
      ctx.metrics().messageRejected(io.hermod.metrics.RejectReason.of(reply)); // refused sender, or relay denied
    }
  }

  private Future<Reply> countedEnd(Future<Reply> reply) {
    return reply.onSuccess(r -> {
      if (r.isError()) {
        ctx.metrics().messageRejected(io.hermod.metrics.RejectReason.of(r));
      }
    });
  }

  private static Action respond(Reply r) {
    return new Action.Respond(r);
  }
}
