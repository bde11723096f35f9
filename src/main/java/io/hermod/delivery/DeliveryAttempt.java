package io.hermod.delivery;

import io.hermod.smtp.ServerReply;
import io.hermod.spool.RecentContent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Carries out one {@link DeliveryJob}: a session from the pool (an idle one, or a new one through
 * {@link HostFailover}), one transaction, the per-recipient outcomes, the log lines. Runs on the delivery
 * verticle's context.
 *
 * <p>A session idle for less than {@link #TRUSTED_IDLE_NANOS} is reused as it is: its last transaction ended with
 * the reply to the end of data, which clears the server's transaction state (RFC 5321 §4.1.1.4), so the RSET that
 * checks an older one is alive would only cost a round trip on every message (issue #17: latency). If the server
 * dropped it meanwhile, or answers its MAIL with 421, nothing was accepted, and the transaction goes once more
 * on a new connection.
 *
 * <p>In a {@link DeliveryBatch} a job is run with the job after it: if the session may carry that one too, its
 * envelope goes out with this one's end of data (TransactionRunner, RFC 2920 §3.1), and the session stays with it
 * instead of going back to the pool; the next job's run takes it from {@link #ahead}. A batch that ends before that
 * job runs {@link #forget}s it: the session is closed without QUIT, and the server drops the open transaction.
 */
final class DeliveryAttempt {

  /** Failure code of a job refused because a connection cap is reached ("not attempted, retry soon"). */
  static final int BUSY = 429;
  /** Failure code of a job that cannot be carried out as given (no recipient, bad byte range). */
  static final int MALFORMED = 400;

  private final ConnectionPool pool;
  private final HostFailover failover;
  private final Map<String, HostFailover> sources;
  private final DeliveryLog log;
  private RecentContent recent; // null: every message is read from the spool
  /** Jobs whose envelope went out ahead, with the transaction sent and the session that carries it. */
  private final Map<DeliveryJob, Ahead> ahead = new IdentityHashMap<>();

  private record Ahead(Transaction tx, PooledSession session) {
  }
  /** An idle session younger than this is reused without RSET (Postfix caches sessions for 2 s by default). */
  static final long TRUSTED_IDLE_NANOS = 2_000_000_000L;

  DeliveryAttempt(ConnectionPool pool, HostFailover failover, DeliveryLog log) {
    this(pool, failover, Map.of(), log);
  }

  /**
   * @param failover the default source's connector
   * @param sources  each egress source's connector (bound to its address, with its EHLO name)
   */
  DeliveryAttempt(ConnectionPool pool, HostFailover failover, Map<String, HostFailover> sources, DeliveryLog log) {
    this.pool = pool;
    this.failover = failover;
    this.sources = Map.copyOf(sources);
    this.log = log;
  }

  /** Sends the messages {@code recent} holds from memory (the spool's observer); others are read from the spool. */
  DeliveryAttempt sendingFrom(RecentContent recent) {
    this.recent = recent;
    return this;
  }

  /**
   * The report; fails with a {@link ReplyException}: code {@link #BUSY} when no connection may be opened,
   * {@link #MALFORMED} when the job makes no sense.
   */
  Future<DeliveryReport> run(DeliveryJob job) {
    return run(job, null);
  }

  /**
   * As {@link #run(DeliveryJob)}; {@code next} (may be null) is the job that runs after this one in its batch,
   * whose envelope may go out with this one's end of data (see the class comment).
   */
  Future<DeliveryReport> run(DeliveryJob job, DeliveryJob next) {
    long started = System.nanoTime();
    Ahead held = ahead.remove(job);
    Transaction tx;
    try {
      tx = held != null ? held.tx() : transaction(job);
    } catch (RuntimeException e) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, MALFORMED,
          "malformed delivery job: " + e.getMessage()));
    }
    // A session carrying this job's envelope is reused without RSET: if the server dropped it, the retry below.
    Future<PooledSession> session = held != null ? Future.succeededFuture(held.session()) : session(job);
    if (held != null) {
      held.session().unverified(true);
    }
    return session
        .compose(s -> sendOnce(tx, s, next).compose(result -> {
          if (!stale(s, result)) {
            return report(job, next, s, started, result);
          }
          pool.discard(s); // a session the server had given up on: nothing was accepted
          return connect(job).compose(fresh -> sendOnce(tx, fresh, next)
              .compose(r -> report(job, next, fresh, started, r)));
        }))
        .recover(t -> {
          if (t instanceof HostFailover.AllHostsFailed) {
            ServerReply reply = ((HostFailover.AllHostsFailed) t).reply();
            DeliveryTls tls = job.hosts().isEmpty() ? null : DeliveryTls.notConnected(job.hosts().get(0).tls());
            DeliveryReport report = logged(job, null, tls, started, Outcomes.all(job, reply, false));
            return Future.succeededFuture(new DeliveryReport(null, null, report.results(), true).withTls(tls));
          }
          return Future.failedFuture(t);
        });
  }

  /**
   * A pooled session if one is idle: as it is when it went idle lately, else once it answered RSET (RFC 5321
   * §4.1.1.5); or else a new connection.
   */
  private Future<PooledSession> session(DeliveryJob job) {
    PooledSession reusable = pool.takeIdle(job.queueKey(), job.hosts());
    if (reusable == null) {
      return connect(job);
    }
    boolean trusted = reusable.idleNanos(System.nanoTime()) < TRUSTED_IDLE_NANOS;
    reusable.unverified(trusted);
    if (trusted) {
      return Future.succeededFuture(reusable);
    }
    return reusable.session().reset().transform(ar -> {
      if (ar.succeeded() && ar.result().code() == 250) {
        return Future.succeededFuture(reusable);
      }
      pool.discard(reusable);
      return connect(job);
    });
  }

  private Future<PooledSession> connect(DeliveryJob job) {
    if (!pool.reserve(job.queueKey())) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, BUSY, "busy"));
    }
    // A source unknown here (not configured, or its address missing on this node): the default source.
    return sources.getOrDefault(job.source() == null ? "" : job.source(), failover).connect(job.hosts(), pool)
        .map(c -> pool.register(job.queueKey(), c.host(), c.session()))
        .onFailure(t -> pool.unreserve(job.queueKey()))
        .recover(t -> t instanceof HostFailover.HostsBusy
            ? Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, BUSY, "busy: " + t.getMessage()))
            : Future.failedFuture(t));
  }

  /**
   * The transaction on {@code s}, offering {@code next}'s to go out after its end of data if {@code s} may carry
   * it; never fails: the result or its failure.
   */
  private Future<AsyncResult<TransactionResult>> sendOnce(Transaction tx, PooledSession s, DeliveryJob next) {
    Supplier<Transaction> following = next == null || !pool.mayCarryNext(s, next) ? null : () -> {
      try {
        return transaction(next);
      } catch (RuntimeException e) {
        return null; // malformed: its own run says so
      }
    };
    return s.session().send(tx, following).transform(Future::succeededFuture);
  }

  /**
   * After a transaction that ended well: the session stays with {@code next} if it carries that one's envelope
   * already, else goes back to the pool.
   */
  private Future<Void> settle(PooledSession s, DeliveryJob next) {
    Transaction sent = s.session().envelopeAhead();
    if (sent != null && next != null && s.session().isUsable()) {
      ahead.put(next, new Ahead(sent, s));
      return Future.succeededFuture();
    }
    return pool.giveBack(s); // with an envelope ahead but no next job, the pool closes it without QUIT
  }

  /** The batch of {@code jobs} ended: a session still carrying the envelope of one of them is closed. */
  void forget(List<DeliveryJob> jobs) {
    for (DeliveryJob job : jobs) {
      Ahead left = ahead.remove(job);
      if (left != null) {
        pool.discard(left.session());
      }
    }
  }

  /**
   * A session reused without RSET that turned out dead: the server closed it before answering MAIL, or answered
   * MAIL with 421 (RFC 5321 §3.8: closing). Nothing of the transaction was accepted.
   */
  static boolean stale(PooledSession s, AsyncResult<TransactionResult> ar) {
    if (!s.unverified()) {
      return false;
    }
    if (ar.succeeded()) {
      return ar.result().mailReply() != null && ar.result().mailReply().code() == 421;
    }
    return ar.cause() instanceof SmtpClientException e && e.kind() == SmtpClientException.Kind.CONNECTION_DROPPED
        && e.stage() == Stage.MAIL;
  }

  private Future<DeliveryReport> report(DeliveryJob job, DeliveryJob next, PooledSession s, long started,
                                        AsyncResult<TransactionResult> ar) {
    DeliveryJob.Host host = s.host();
    List<DeliveryReport.Result> results;
    Future<Void> settled = Future.succeededFuture();
    if (ar.succeeded()) {
      TransactionResult tr = ar.result();
      if (tr.sentToRemote()) {
        s.countTransaction();
      }
      results = new ArrayList<>();
      for (RecipientResult r : tr.recipients()) {
        results.add(Outcomes.result(r.recipient().address(), r.reply(), tr.sentToRemote()));
      }
      settled = settle(s, next);
    } else {
      pool.discard(s);
      // Anything else (e.g. IllegalStateException) is our fault, not the peer's: deferred as 4.3.0.
      SmtpClientException e = ar.cause() instanceof SmtpClientException
          ? (SmtpClientException) ar.cause()
          : new SmtpClientException(SmtpClientException.Kind.CONTENT_FAILED, Stage.MAIL, null,
              String.valueOf(ar.cause().getMessage()), ar.cause());
      results = Outcomes.deferredAll(job, e, DeliveryLog.relay(host));
    }
    List<DeliveryReport.Result> outcome = results;
    // RFC 3461 §5.2.2: a next hop that offers DSN got NOTIFY and reports success itself; else we say "relayed".
    DsnAction success = s.session().capabilities().dsn() ? null : DsnAction.RELAYED;
    DeliveryTls tls = DeliveryTls.of(s.session().tls());
    return settled.transform(x -> Future.succeededFuture(logged(job, host, tls, started, outcome)
        .withSuccess(success).withTls(tls)));
  }

  private Transaction transaction(DeliveryJob job) {
    List<TxRecipient> rcpts = job.recipients().stream().map(r -> new TxRecipient(r.address(), r.params())).toList();
    ContentSource spooled = ContentSource.ofSpool(recent, job.queueId(), job.contentFile(),
        job.contentOffset(), job.contentLength());
    // Headers computed at acceptance (the DKIM-Signature) go in front of the spooled bytes, unchanged per attempt.
    ContentSource content = job.prependHeaders() == null ? spooled
        : ContentSource.concat(ContentSource.ofBuffer(Buffer.buffer(job.prependHeaders())), spooled);
    return new Transaction(job.sender(), rcpts, job.mailParams(), content.length(), job.needsSmtpUtf8(), content);
  }

  /** The report, after one log line per recipient. */
  private DeliveryReport logged(DeliveryJob job, DeliveryJob.Host relay, DeliveryTls tls, long started,
                                List<DeliveryReport.Result> results) {
    results.forEach(r -> log.attempt(job, relay, tls, started, r));
    return relay == null
        ? new DeliveryReport(null, null, results)
        : new DeliveryReport(relay.name(), relay.address(), results);
  }
}
