package io.hermod.metrics;

import io.hermod.auth.Verification;
import io.hermod.tls.Handshake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Every Hermod meter, declared once here with its description (the list is in docs/operations.md). Tags
 * come only from small fixed sets (listener names from the configuration, verbs, reply classes, outcomes):
 * never addresses, hosts or queue ids, so the number of series stays bounded.
 *
 * <p>Thread-safe: Micrometer meters are, and the registry caches each (name, tags) meter.
 */
public final class HermodMetrics {

  private static final Pattern TLS_VERSION = Pattern.compile("TLSv1(\\.[0-3])?");

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();

  public HermodMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts nothing anyone can read: for tests and tools that do not care about metrics. */
  public static HermodMetrics noop() {
    return new HermodMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  // ---- listener ----

  /** The open-session gauge of one listener (hermod_smtp_sessions{listener}); increment and decrement it. */
  public AtomicInteger sessions(String listener) {
    return sessions.computeIfAbsent(listener, name -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("hermod.smtp.sessions", value, AtomicInteger::get)
          .description("Open SMTP sessions").tag("listener", name).register(registry);
      return value;
    });
  }

  /** hermod_smtp_connections_total{listener, result=accepted|refused}. */
  public void connection(String listener, boolean accepted) {
    Counter.builder("hermod.smtp.connections").description("Inbound SMTP connections")
        .tags("listener", listener, "result", accepted ? "accepted" : "refused").register(registry).increment();
  }

  /** hermod_smtp_commands_total{verb, reply=2xx|3xx|4xx|5xx}; {@code verb} is from the parser's fixed set. */
  public void command(String verb, int replyCode) {
    Counter.builder("hermod.smtp.commands").description("SMTP commands received, by verb and reply class")
        .tags("verb", verb, "reply", (replyCode / 100) + "xx").register(registry).increment();
  }

  /** hermod_messages_accepted_total and hermod_bytes_received_total. */
  public void messageAccepted(long bytes) {
    Counter.builder("hermod.messages.accepted").description("Messages accepted and spooled")
        .register(registry).increment();
    Counter.builder("hermod.bytes.received").description("Message bytes accepted into the spool")
        .register(registry).increment(bytes);
  }

  /** hermod_messages_rejected_total{reason}. */
  public void messageRejected(RejectReason reason) {
    Counter.builder("hermod.messages.rejected").description("Messages (or transactions) refused, by reason")
        .tag("reason", reason.tag()).register(registry).increment();
  }

  /** hermod_auth_failures_total. */
  public void authFailure() {
    Counter.builder("hermod.auth.failures").description("SMTP AUTH attempts with invalid credentials")
        .register(registry).increment();
  }

  /**
   * hermod_auth_logins_total{mechanism=plain|login|scram-sha-256, outcome=success|failure, cache=hit|miss}: one
   * per SMTP AUTH that checked credentials (a malformed or cancelled exchange checked none); cache=hit when a
   * remembered verification answered without PBKDF2 (failures are always misses).
   */
  public void login(String mechanism, boolean success, Verification verification) {
    Counter.builder("hermod.auth.logins")
        .description("SMTP AUTH logins that checked credentials, by mechanism, outcome and login cache use")
        .tags("mechanism", mechanism, "outcome", success ? "success" : "failure", "cache", verification.cacheTag())
        .register(registry).increment();
  }

  /**
   * hermod_tls_handshakes_total{version, session=full|resumed}; a failed handshake (null version) is
   * version="failed", session="none".
   */
  public void tlsHandshake(String version, Handshake handshake) {
    String tag = version == null ? "failed" : TLS_VERSION.matcher(version).matches() ? version : "other";
    Counter.builder("hermod.tls.handshakes")
        .description("Inbound TLS handshakes, by protocol version and whether they resumed an earlier session")
        .tag("version", tag).tag("session", version == null || handshake == null ? "none" : handshake.tag())
        .register(registry).increment();
  }

  // ---- spool and router ----

  /** hermod_spool_messages and hermod_spool_bytes, read from the spool's cheap counters at scrape time. */
  public void spoolUsage(LongSupplier messages, LongSupplier bytes) {
    Gauge.builder("hermod.spool.messages", messages::getAsLong).description("Messages in the spool")
        .register(registry);
    Gauge.builder("hermod.spool.bytes", bytes::getAsLong).description("Bytes of the messages in the spool")
        .register(registry);
  }

  /**
   * hermod_flow_backlog (due messages waiting for the router's active window, what flow control follows) and
   * hermod_flow_delay_seconds (the delay a transaction ending now gets), read at scrape time.
   */
  public void flowState(LongSupplier backlog, LongSupplier delayMillis) {
    Gauge.builder("hermod.flow.backlog", backlog::getAsLong)
        .description("Due messages waiting for the router's active window (flow control's signal)").register(registry);
    Gauge.builder("hermod.flow.delay.seconds", () -> delayMillis.getAsLong() / 1000.0)
        .description("Flow control: the delay a transaction ending now waits before its reply").register(registry);
  }

  /** hermod_flow_delayed_total{intake=smtp|submit}: transactions that waited for flow control. */
  public void flowDelayed(String intake) {
    Counter.builder("hermod.flow.delayed").description("Transactions delayed by flow control before their reply")
        .tag("intake", intake).register(registry).increment();
  }

  /** hermod_queue_active: messages in the router's active window. */
  public void queueActive(LongSupplier active) {
    Gauge.builder("hermod.queue.active", active::getAsLong)
        .description("Messages in the router's active window (being routed or delivered)").register(registry);
  }

  /**
   * hermod_delivery_attempts_total{outcome=delivered|deferred|bounced|expired, status_class}, one per recipient
   * outcome; {@code status_class} is the class and subject of the enhanced status code (RFC 3463: "4.7" for
   * 4.7.1, security or policy; "4.4" network and routing; "4.2" mailbox; ...), at most 24 values, "none" when
   * the reply had none and "other" for a malformed one: the "top deferral reasons" without unbounded tags.
   * A final outcome also records hermod_queue_residence_seconds (arrival to final outcome).
   */
  public void deliveryOutcome(String outcome, String status, Duration sinceArrival) {
    String tag = outcome.toLowerCase(Locale.ROOT);
    Counter.builder("hermod.delivery.attempts").description("Recipient delivery outcomes")
        .tag("outcome", tag).tag("status_class", statusClass(status)).register(registry).increment();
    if (!tag.equals("deferred")) {
      Timer.builder("hermod.queue.residence").description("Time from arrival to a final outcome, per recipient")
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
          .maximumExpectedValue(Duration.ofDays(7)).register(registry)
          .record(sinceArrival.isNegative() ? Duration.ZERO : sinceArrival);
    }
  }

  /** "4.7" for "4.7.1": class 2, 4 or 5 and subject 0..7 (RFC 3463 §3), else "other"; null is "none". */
  static String statusClass(String status) {
    if (status == null || status.isEmpty()) {
      return "none";
    }
    boolean known = status.length() >= 4 && "245".indexOf(status.charAt(0)) >= 0 && status.charAt(1) == '.'
        && status.charAt(2) >= '0' && status.charAt(2) <= '7' && status.charAt(3) == '.';
    return known ? status.substring(0, 3) : "other";
  }

  /** hermod_delivery_duration_seconds: one delivery job (connect, transaction, report). */
  public void deliveryDuration(long nanos) {
    Timer.builder("hermod.delivery.duration").description("Duration of one delivery job to one destination")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(30)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * hermod_shaping_decisions_total{action=suspend|limit_connections|limit_rate|bounce} for every shaping rule
   * that fired on this node, and for a suspension also
   * hermod_shaping_suspensions_total{destination=mx|nexthop|provider}, by the kind of site: a provider's
   * ({@code provider:<name>}), a configured next hop ({@code [host]:port}), or an MX host set.
   */
  public void shapingDecision(String action, String site) {
    Counter.builder("hermod.shaping.decisions").description("Shaping rules that fired, by action")
        .tag("action", action).register(registry).increment();
    if (action.equals("suspend")) {
      String kind = site.startsWith("provider:") ? "provider" : site.startsWith("[") ? "nexthop" : "mx";
      Counter.builder("hermod.shaping.suspensions").description("Sites suspended after a throttling reply")
          .tag("destination", kind).register(registry).increment();
    }
  }

  /**
   * hermod_shaping_refused_total{reason=suspended|dead|bounced}: delivery jobs answered without a connection
   * because their (source, site) queue was suspended, dead, or bouncing by a rule.
   */
  public void shapingRefused(String reason) {
    Counter.builder("hermod.shaping.refused").description("Delivery jobs answered without a connection attempt")
        .tag("reason", reason).register(registry).increment();
  }

  /** hermod_shaping_sites_died_total: a (source, site) queue marked dead after a failed cohort of connections. */
  public void siteDied() {
    Counter.builder("hermod.shaping.sites.died").description("Sites marked dead after a failed cohort")
        .register(registry).increment();
  }

  /** The states of hermod_queue_messages, as in the queue admin API (docs/operations.md); active has its own gauge. */
  public static final List<String> QUEUE_STATES = List.of("ready", "deferred", "held", "waiting");

  /** hermod_queue_messages{state=ready|deferred|held|waiting}, read from {@code count} at scrape time. */
  public void queueMessages(ToLongFunction<String> count) {
    for (String state : QUEUE_STATES) {
      Gauge.builder("hermod.queue.messages", () -> count.applyAsLong(state))
          .description("Messages in the queue by state, from the queue index").tag("state", state)
          .register(registry);
    }
  }

  /** hermod_queue_bulk_jobs: bulk queue actions running in the background (docs/operations.md). */
  public void queueBulkJobs(LongSupplier running) {
    Gauge.builder("hermod.queue.bulk.jobs", running::getAsLong)
        .description("Bulk queue actions running in the background").register(registry);
  }

  // ---- DNS ----

  /**
   * hermod_dns_lookups_total{result=ok|nxdomain|nullmx|unroutable|tempfail} and
   * hermod_dns_lookup_duration_seconds: one MX resolution of a destination domain.
   */
  public void dnsLookup(String result, long nanos) {
    Counter.builder("hermod.dns.lookups").description("MX resolutions of destination domains, by result")
        .tag("result", result).register(registry).increment();
    Timer.builder("hermod.dns.lookup.duration").description("Duration of one MX resolution (MX and addresses)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(1)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * hermod_dns_queries_total{resolver} and, for a query sent again because an earlier one for the same question
   * went unanswered, hermod_dns_retransmissions_total{resolver}. {@code resolver} is a configured resolver's
   * "ip:port" (or one of /etc/resolv.conf), a fixed set.
   */
  public void dnsQuerySent(String resolver, boolean retransmission) {
    Counter.builder("hermod.dns.queries").description("DNS queries sent, by resolver (retransmissions included)")
        .tag("resolver", resolver).register(registry).increment();
    if (retransmission) {
      Counter.builder("hermod.dns.retransmissions")
          .description("DNS queries sent again after an earlier query for the same question went unanswered")
          .tag("resolver", resolver).register(registry).increment();
    }
  }

  /** hermod_dns_query_timeouts_total{resolver}: a query that got no answer within its try timeout. */
  public void dnsQueryTimedOut(String resolver) {
    Counter.builder("hermod.dns.query.timeouts")
        .description("DNS queries unanswered within their try timeout (dns.tryTimeoutMillis, doubling)")
        .tag("resolver", resolver).register(registry).increment();
  }

  /**
   * hermod_dns_outstanding{resolver} (queries awaiting an answer) and hermod_dns_queued{resolver} (queries
   * waiting for one of dns.maxOutstandingPerResolver slots), read at scrape time.
   */
  public void dnsResolverLoad(String resolver, IntSupplier outstanding, IntSupplier queued) {
    Gauge.builder("hermod.dns.outstanding", outstanding::getAsInt)
        .description("DNS queries awaiting an answer, by resolver").tag("resolver", resolver).register(registry);
    Gauge.builder("hermod.dns.queued", queued::getAsInt)
        .description("DNS queries waiting for a free query slot, by resolver").tag("resolver", resolver)
        .register(registry);
  }

  // ---- event journal (io.hermod.events, docs/events.md) ----

  /** hermod_events_journal_bytes (the journal's size on disk) and hermod_events_journal_last_seq, at scrape time. */
  public void eventJournal(LongSupplier bytes, LongSupplier lastSeq) {
    Gauge.builder("hermod.events.journal.bytes", bytes::getAsLong)
        .description("Bytes of this node's event journal on disk (bounded by events.journal.maxBytes)")
        .register(registry);
    Gauge.builder("hermod.events.journal.last.seq", lastSeq::getAsLong)
        .description("The seq of the newest durable entry of this node's event journal").register(registry);
  }

  /** hermod_events_journal_appended_total: entries made durable (one fsync for a whole batch). */
  public void journalAppended(int entries) {
    Counter.builder("hermod.events.journal.appended").description("Events appended durably to the event journal")
        .register(registry).increment(entries);
  }

  /** hermod_events_journal_retired_total: entries dropped by retention (whole old segments). */
  public void journalRetired(long entries) {
    Counter.builder("hermod.events.journal.retired")
        .description("Event journal entries dropped by retention (events.journal.maxBytes, maxAgeHours)")
        .register(registry).increment(entries);
  }

  /**
   * hermod_events_journal_append_failures_total{reason=queue_full|closed|too_large}: events that were not
   * journaled.
   */
  public void journalAppendFailed(String reason) {
    Counter.builder("hermod.events.journal.append.failures")
        .description("Events not journaled: the append queue was full (slow or failing disk), or the journal closed")
        .tag("reason", reason).register(registry).increment();
  }

  /** hermod_events_journal_write_errors_total: failed batch writes or fsyncs (the batch is retried). */
  public void journalWriteError() {
    Counter.builder("hermod.events.journal.write.errors")
        .description("Event journal writes or fsyncs that failed (disk full, I/O error); the batch is retried")
        .register(registry).increment();
  }

  /**
   * hermod_events_cursor_lag{cursor}: journal entries a durable cursor has not acknowledged yet (bounded in
   * number by events.journal.maxCursors). Returns what removes the gauge again (the cursor was removed).
   */
  public Runnable cursorLag(String cursor, LongSupplier lag) {
    Gauge gauge = Gauge.builder("hermod.events.cursor.lag", lag::getAsLong)
        .description("Event journal entries after a cursor's acknowledged seq (last seq - cursor)")
        .tag("cursor", cursor).register(registry);
    return () -> registry.remove(gauge);
  }
}
