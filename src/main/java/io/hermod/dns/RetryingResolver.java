package io.hermod.dns;

import io.hermod.config.DnsConfig;
import io.hermod.metrics.HermodMetrics;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.io.IoClientFactory;

/**
 * The resolver dnsjava's {@code LookupSession} asks: what a stub resolver does around single queries, over one
 * {@link SimpleResolver} per configured server (which checks each answer and falls back to TCP when it is
 * truncated).
 *
 * <ul>
 *   <li><b>Retransmission</b> (RFC 1035 §4.2.1, RFC 1123 §6.1.3.3): a query unanswered after
 *       {@code dns.tryTimeoutMillis} is sent again, with a new ID, to the next configured resolver (round
 *       robin from the first); each further wait is twice the previous one. At most {@code dns.tries} queries
 *       per question. An earlier query's late answer is still taken. A SERVFAIL, REFUSED or NOTIMP answer is
 *       asked of the next resolver when there are several (and returned if none does better).</li>
 *   <li><b>One deadline</b>: a question ends {@code dns.timeoutMillis} after it was asked, whatever happened
 *       (waiting for a slot included), with the best answer so far or a {@link DnsTimeoutException}.</li>
 *   <li><b>Bounded load</b>: at most {@code dns.maxOutstandingPerResolver} queries await an answer from one
 *       resolver; more wait in its queue of at most {@code dns.maxQueuedPerResolver} (retransmissions first,
 *       then in order of arrival), beyond which a query fails at once (and the next resolver, if any, is
 *       tried). A query that timed out gives its slot back even though its late answer would still be taken.</li>
 *   <li><b>Sharing</b>: questions (name, type, class) asked again while one is in flight wait for the same
 *       answer instead of being sent again; each caller gets its own copy with its own query ID.</li>
 * </ul>
 *
 * <p>Thread-safe. Timers run on the JDK's delay thread ({@link CompletableFuture#completeOnTimeout}); nothing
 * blocks.
 */
public final class RetryingResolver implements Resolver {

  /** Answers that say "this server cannot answer now" (RFC 1035 §4.1.1): worth asking another server. */
  private static final Set<Integer> ASK_ANOTHER = Set.of(Rcode.SERVFAIL, Rcode.REFUSED, Rcode.NOTIMP);
  /** Caps the doubling of the per-query wait (2^16 times the first is far past any deadline). */
  private static final int MAX_DOUBLINGS = 16;

  private final List<Upstream> upstreams;
  private final long timeoutMillis;
  private final long tryTimeoutMillis;
  private final int tries;
  private final int maxOutstanding;
  private final int maxQueued;
  private final HermodMetrics metrics;
  private final Map<Question, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();
  private final SecureRandom ids = new SecureRandom();

  /**
   * The key of question sharing; {@link Name#equals} ignores case. The DNSSEC flags are part of it: a query with
   * DO, CD or AD (DANE's, RFC 4035 §3.2, RFC 6840 §5.7) must not take the answer of one without them, which lacks
   * the signatures and the AD bit.
   */
  private record Question(Name name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled,
                          boolean authenticData) {

    static Question of(Message query) {
      Record q = query.getQuestion();
      OPTRecord opt = query.getOPT();
      return new Question(q.getName(), q.getType(), q.getDClass(),
          opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0, query.getHeader().getFlag(Flags.CD),
          query.getHeader().getFlag(Flags.AD));
    }
  }

  /**
   * @param servers the resolvers, in the order to ask them
   * @param io      how SimpleResolver sends its bytes (see {@link VertxDnsTransport})
   * @param metrics where queries, retransmissions, timeouts and the per-resolver load are counted
   */
  public RetryingResolver(List<InetSocketAddress> servers, DnsConfig config, IoClientFactory io,
                          HermodMetrics metrics) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no DNS resolver to ask (dns.resolvers is empty and so is the system's list)");
    }
    this.timeoutMillis = config.timeoutMillis();
    this.tryTimeoutMillis = config.tryTimeoutMillis();
    this.tries = config.tries();
    this.maxOutstanding = config.maxOutstandingPerResolver();
    this.maxQueued = config.maxQueuedPerResolver();
    this.metrics = metrics;
    this.upstreams = servers.stream().map(server -> new Upstream(server, io)).toList();
    upstreams.forEach(u -> metrics.dnsResolverLoad(u.name, u::outstanding, u::queued));
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    Record question = query.getQuestion();
    if (question == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a DNS query without a question"));
    }
    Question key = Question.of(query);
    CompletableFuture<Message> mine = new CompletableFuture<>();
    CompletableFuture<Message> shared = inFlight.putIfAbsent(key, mine);
    if (shared == null) {
      shared = mine;
      // The question leaves the map before anyone sees the answer: a caller's callback that asks again (or a
      // thread it wakes) must reach the server, not take this answer, already handed out, as a shared one.
      // (Removing in a dependent of `mine` would run after the callers': CompletableFuture runs them last first.)
      CompletableFuture<Message> exchange = new CompletableFuture<>();
      exchange.whenComplete((answer, error) -> {
        inFlight.remove(key, mine);
        if (error != null) {
          mine.completeExceptionally(error);
        } else {
          mine.complete(answer);
        }
      });
      new Exchange(query, executor, exchange).start();
    }
    int id = query.getHeader().getID();
    return shared.thenApply(answer -> withId(answer, id));
  }

  /** The most time one question takes. */
  @Override
  public Duration getTimeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  @Override
  public String toString() {
    return "RetryingResolver" + upstreams.stream().map(u -> u.name).toList();
  }

  // Everything below is configured from DnsConfig once; LookupSession never calls these.

  @Override
  public void setPort(int port) {
    throw unsupported();
  }

  @Override
  public void setTCP(boolean flag) {
    throw unsupported();
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    throw unsupported();
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    throw unsupported();
  }

  @Override
  public void setTSIGKey(TSIG key) {
    throw unsupported();
  }

  @Override
  public void setTimeout(Duration timeout) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("configured from DnsConfig (dns.*) when built");
  }

  private static Message withId(Message answer, int id) {
    Message copy = answer.clone();
    copy.getHeader().setID(id);
    return copy;
  }

  /** Runs {@code action} after {@code millis} unless the returned future is first completed with false. */
  private static CompletableFuture<Boolean> timer(long millis, Runnable action) {
    CompletableFuture<Boolean> timer = new CompletableFuture<>();
    timer.thenAccept(fired -> {
      if (fired) {
        action.run();
      }
    });
    timer.completeOnTimeout(Boolean.TRUE, millis, TimeUnit.MILLISECONDS);
    return timer;
  }

  private static void cancel(CompletableFuture<Boolean> timer) {
    if (timer != null) {
      timer.complete(Boolean.FALSE);
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static String name(InetSocketAddress server) {
    String ip = server.getAddress().getHostAddress();
    return (server.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + server.getPort();
  }

  /** One resolver: its SimpleResolver, its query slots and the queries waiting for one. */
  private final class Upstream {

    final String name;
    final SimpleResolver resolver;
    private int outstanding;
    // FIFOs with O(1) removal; a question already under way goes first, so that a burst of new questions does
    // not hold a retransmission until its deadline
    private final LinkedHashSet<Try> retries = new LinkedHashSet<>();
    private final LinkedHashSet<Try> waiting = new LinkedHashSet<>();

    Upstream(InetSocketAddress server, IoClientFactory io) {
      this.name = RetryingResolver.name(server);
      this.resolver = new SimpleResolver(server);
      resolver.setIoClientFactory(io);
      resolver.setTimeout(Duration.ofMillis(timeoutMillis)); // how long a query listens for a (late) answer
    }

    void submit(Try attempt) {
      boolean now;
      synchronized (this) {
        if (outstanding < maxOutstanding) {
          outstanding++;
          now = true;
        } else if (retries.size() + waiting.size() < maxQueued) {
          (attempt.index > 0 ? retries : waiting).add(attempt);
          return;
        } else {
          now = false;
        }
      }
      if (now) {
        if (!attempt.send()) {
          release();
        }
      } else {
        attempt.ended(null, new IOException("too many DNS queries waiting for " + name
            + " (dns.maxQueuedPerResolver = " + maxQueued + ")"));
      }
    }

    /** A slot is free: the oldest waiting query still wanted takes it. */
    void release() {
      while (true) {
        Try next;
        synchronized (this) {
          Iterator<Try> oldest = retries.isEmpty() ? waiting.iterator() : retries.iterator();
          if (!oldest.hasNext()) {
            outstanding--;
            return;
          }
          next = oldest.next();
          oldest.remove();
        }
        if (next.send()) {
          return;
        }
      }
    }

    /** A waiting query no longer wanted (its question ended). */
    synchronized void forget(Try attempt) {
      retries.remove(attempt);
      waiting.remove(attempt);
    }

    synchronized int outstanding() {
      return outstanding;
    }

    synchronized int queued() {
      return retries.size() + waiting.size();
    }
  }

  /** One question being answered: its tries, its deadline, the best answer so far. */
  private final class Exchange {

    final Message query;
    final Executor executor;
    final CompletableFuture<Message> result;
    private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    // guarded by this
    private int created;      // tries handed to an upstream
    private int open;         // tries that may still bring an answer
    private int sent;         // tries that reached the wire
    private Try latest;
    private Message fallback; // a SERVFAIL/REFUSED/NOTIMP answer, kept while other resolvers are asked
    private Throwable lastError;

    Exchange(Message query, Executor executor, CompletableFuture<Message> result) {
      this.query = query;
      this.executor = executor;
      this.result = result;
    }

    void start() {
      CompletableFuture<Boolean> expiry = timer(timeoutMillis, this::expire);
      result.whenComplete((answer, error) -> {
        cancel(expiry);
        Try last;
        synchronized (this) {
          last = latest;
        }
        if (last != null) {
          last.abandon();
        }
      });
      next();
    }

    synchronized long remainingMillis() {
      return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Hands the next try to its resolver, or ends the question when no try is left and none is open. */
    void next() {
      Try attempt;
      synchronized (this) {
        if (result.isDone()) {
          return;
        }
        attempt = null;
        if (created < tries && remainingMillis() > 0) {
          attempt = new Try(this, upstreams.get(created % upstreams.size()), created);
          created++;
          open++;
          latest = attempt;
        } else if (open > 0) {
          return; // an earlier query may still answer before the deadline
        }
      }
      if (attempt == null) {
        finish();
      } else {
        attempt.upstream.submit(attempt);
      }
    }

    /** A try that is no longer the newest ended: the question ends if nothing else can answer. */
    void settle() {
      synchronized (this) {
        if (result.isDone() || open > 0 || created < tries && remainingMillis() > 0) {
          return;
        }
      }
      finish();
    }

    /** The deadline: the best answer so far, or a timeout. */
    private void expire() {
      Message answer;
      String detail;
      synchronized (this) {
        answer = fallback;
        detail = sent == 0
            ? "timed out waiting " + timeoutMillis + " ms for a free query slot (dns.maxOutstandingPerResolver = "
                + maxOutstanding + ")"
            : "timed out: " + sent + (sent == 1 ? " query" : " queries") + " unanswered in " + timeoutMillis + " ms";
      }
      if (answer != null) {
        result.complete(answer);
      } else {
        result.completeExceptionally(new DnsTimeoutException(detail));
      }
    }

    /** Every try ended without an acceptable answer. */
    private void finish() {
      Message answer;
      Throwable error;
      synchronized (this) {
        answer = fallback;
        error = lastError;
      }
      if (answer != null) {
        result.complete(answer);
      } else if (error != null) {
        result.completeExceptionally(error);
      } else {
        expire();
      }
    }
  }

  /** One query of an exchange to one resolver. */
  private final class Try {

    final Exchange exchange;
    final Upstream upstream;
    final int index;
    // guarded by exchange
    private boolean current = true; // the exchange's newest try: its end or timeout moves the exchange on
    private boolean holdsSlot;
    private CompletableFuture<Boolean> timer;

    Try(Exchange exchange, Upstream upstream, int index) {
      this.exchange = exchange;
      this.upstream = upstream;
      this.index = index;
    }

    /** Called with a slot of {@link #upstream} taken; false if the question ended meanwhile (the slot is unused). */
    boolean send() {
      boolean go;
      synchronized (exchange) {
        long remaining = exchange.remainingMillis();
        go = !exchange.result.isDone() && remaining > 0;
        if (go) {
          holdsSlot = true;
          exchange.sent++;
          timer = timer(Math.min(tryTimeoutMillis << Math.min(index, MAX_DOUBLINGS), remaining), this::timedOut);
        } else {
          exchange.open--; // the deadline ends (or ended) the exchange
          current = false;
        }
      }
      if (!go) {
        return false;
      }
      metrics.dnsQuerySent(upstream.name, index > 0);
      Message query = exchange.query.clone();
      query.getHeader().setID(ids.nextInt(0x10000)); // a new, unpredictable ID for every query (RFC 5452 §9)
      try {
        upstream.resolver.sendAsync(query, exchange.executor).whenComplete(this::ended);
      } catch (RuntimeException e) {
        ended(null, e);
      }
      return true;
    }

    /** The question ended: the try no longer waits for a slot, nor holds one. */
    void abandon() {
      boolean release;
      synchronized (exchange) {
        current = false;
        release = holdsSlot;
        holdsSlot = false;
      }
      cancel(timer);
      upstream.forget(this);
      if (release) {
        upstream.release();
      }
    }

    /** No answer within this try's wait: its slot is freed and the next try goes out; a late answer still counts. */
    private void timedOut() {
      boolean release;
      synchronized (exchange) {
        if (!current) {
          return;
        }
        current = false;
        release = holdsSlot;
        holdsSlot = false;
      }
      metrics.dnsQueryTimedOut(upstream.name);
      exchange.next(); // first, so that the retransmission waits ahead of new questions for the slot freed here
      if (release) {
        upstream.release();
      }
    }

    void ended(Message answer, Throwable error) {
      boolean release;
      boolean wasCurrent;
      boolean accept = false;
      synchronized (exchange) {
        wasCurrent = current;
        current = false;
        release = holdsSlot;
        holdsSlot = false;
        exchange.open--;
        if (error != null) {
          exchange.lastError = unwrap(error);
        } else if (ASK_ANOTHER.contains(answer.getRcode()) && upstreams.size() > 1) {
          exchange.fallback = answer;
        } else {
          accept = true;
        }
      }
      cancel(timer);
      if (accept) {
        exchange.result.complete(answer);
      } else if (wasCurrent) {
        exchange.next();
      } else {
        exchange.settle();
      }
      if (release) {
        upstream.release();
      }
    }
  }
}
