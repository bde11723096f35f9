package io.hermod.metrics;

import io.hermod.auth.Verification;
import io.hermod.tls.Handshake;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.List;
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
  private static final String[] NO_TAGS = {};
  /** "2xx" for 250: the reply classes of hermod_smtp_commands_total, made once rather than per command. */
  private static final String[] REPLY_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx", "9xx"};

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();
  private final MeterCache meters;

  public HermodMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.meters = new MeterCache(registry);
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
    meters.counter("hermod.smtp.connections",
        "Inbound SMTP connections",
        "listener", listener, "result", accepted ? "accepted" : "refused").increment();
  }

  /** hermod_smtp_commands_total{verb, reply=2xx|3xx|4xx|5xx}; {@code verb} is from the parser's fixed set. */
  public void command(String verb, int replyCode) {
    meters.counter("hermod.smtp.commands",
        "SMTP commands received, by verb and reply class",
        "verb", verb, "reply", replyClass(replyCode)).increment();
  }

  private static String replyClass(int code) {
    int c = code / 100;
    return c >= 0 && c < REPLY_CLASSES.length ? REPLY_CLASSES[c] : c + "xx";
  }

  /** hermod_messages_accepted_total and hermod_bytes_received_total. */
  public void messageAccepted(long bytes) {
    meters.counter("hermod.messages.accepted", "Messages accepted and spooled").increment();
    meters.counter("hermod.bytes.received", "Message bytes accepted into the spool").increment(bytes);
  }

  /** hermod_messages_rejected_total{reason}. */
  public void messageRejected(RejectReason reason) {
    meters.counter("hermod.messages.rejected",
        "Messages (or transactions) refused, by reason",
        "reason", reason.tag()).increment();
  }

  /** hermod_auth_failures_total. */
  public void authFailure() {
    meters.counter("hermod.auth.failures", "SMTP AUTH attempts with invalid credentials").increment();
  }

  /**
   * hermod_auth_logins_total{mechanism=plain|login|scram-sha-256, outcome=success|failure, cache=hit|miss}: one
   * per SMTP AUTH that checked credentials (a malformed or cancelled exchange checked none); cache=hit when a
   * remembered verification answered without PBKDF2 (failures are always misses).
   */
  public void login(String mechanism, boolean success, Verification verification) {
    meters.counter("hermod.auth.logins",
        "SMTP AUTH logins that checked credentials, by mechanism, outcome and login cache use",
        "mechanism", mechanism, "outcome", success ? "success" : "failure", "cache", verification.cacheTag())
        .increment();
  }

  /**
   * hermod_tls_handshakes_total{version, session=full|resumed}; a failed handshake (null version) is
   * version="failed", session="none".
   */
  public void tlsHandshake(String version, Handshake handshake) {
    String tag = version == null ? "failed" : TLS_VERSION.matcher(version).matches() ? version : "other";
    meters.counter("hermod.tls.handshakes",
        "Inbound TLS handshakes, by protocol version and whether they resumed an earlier session",
        "version", tag, "session", version == null || handshake == null ? "none" : handshake.tag()).increment();
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
    meters.counter("hermod.flow.delayed",
        "Transactions delayed by flow control before their reply",
        "intake", intake).increment();
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
   *
   * @param outcome the event's lower-case outcome keyword (RecipientOutcome.Kind.keyword()), the tag as it is
   */
  public void deliveryOutcome(String outcome, String status, Duration sinceArrival) {
    meters.counter("hermod.delivery.attempts",
        "Recipient delivery outcomes",
        "outcome", outcome, "status_class", statusClass(status)).increment();
    if (!outcome.equals("deferred")) {
      meters.<Timer>meter("hermod.queue.residence", NO_TAGS, () -> Timer.builder("hermod.queue.residence")
              .description("Time from arrival to a final outcome, per recipient")
              .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
              .maximumExpectedValue(Duration.ofDays(7)).register(registry))
          .record(sinceArrival.isNegative() ? Duration.ZERO : sinceArrival);
    }
  }

  /**
   * One outbound connection's TLS under its policy (docs/security.md "Outbound TLS"): {@code policy} = none,
   * config, mta-sts, dane; {@code result} = verified, dane, encrypted, plaintext, or an RFC 8460 failure type
   * (starttls-not-supported, certificate-expired, ...): at most 4 × 15 series.
   */
  public void deliveryTls(String policy, String result) {
    meters.counter("hermod.delivery.tls.sessions",
        "Outbound connections by TLS policy source and TLS result or failure type",
        "policy", policy, "result", result).increment();
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
    meters.<Timer>meter("hermod.delivery.duration", NO_TAGS, () -> Timer.builder("hermod.delivery.duration")
        .description("Duration of one delivery job to one destination")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(30)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * hermod_shaping_decisions_total{action=suspend|limit_connections|limit_rate|bounce} for every shaping rule
   * that fired on this node, and for a suspension also
   * hermod_shaping_suspensions_total{destination=mx|nexthop|provider}, by the kind of site: a provider's
   * ({@code provider:<name>}), a configured next hop ({@code [host]:port}), or an MX host set.
   */
  public void shapingDecision(String action, String site) {
    meters.counter("hermod.shaping.decisions", "Shaping rules that fired, by action", "action", action).increment();
    if (action.equals("suspend")) {
      String kind = site.startsWith("provider:") ? "provider" : site.startsWith("[") ? "nexthop" : "mx";
      meters.counter("hermod.shaping.suspensions",
          "Sites suspended after a throttling reply",
          "destination", kind).increment();
    }
  }

  /**
   * hermod_shaping_refused_total{reason=suspended|dead|bounced}: delivery jobs answered without a connection
   * because their (source, site) queue was suspended, dead, or bouncing by a rule.
   */
  public void shapingRefused(String reason) {
    meters.counter("hermod.shaping.refused",
        "Delivery jobs answered without a connection attempt",
        "reason", reason).increment();
  }

  /** hermod_shaping_sites_died_total: a (source, site) queue marked dead after a failed cohort of connections. */
  public void siteDied() {
    meters.counter("hermod.shaping.sites.died", "Sites marked dead after a failed cohort").increment();
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
    meters.counter("hermod.dns.lookups",
        "MX resolutions of destination domains, by result",
        "result", result).increment();
    meters.<Timer>meter("hermod.dns.lookup.duration", NO_TAGS, () -> Timer.builder("hermod.dns.lookup.duration")
        .description("Duration of one MX resolution (MX and addresses)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(1)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * hermod_dns_queries_total{resolver} and, for a query sent again because an earlier one for the same question
   * went unanswered, hermod_dns_retransmissions_total{resolver}. {@code resolver} is a configured resolver's
   * "ip:port" (or one of /etc/resolv.conf), a fixed set.
   */
  public void dnsQuerySent(String resolver, boolean retransmission) {
    meters.counter("hermod.dns.queries",
        "DNS queries sent, by resolver (retransmissions included)",
        "resolver", resolver).increment();
    if (retransmission) {
      meters.counter("hermod.dns.retransmissions",
          "DNS queries sent again after an earlier query for the same question went unanswered",
          "resolver", resolver).increment();
    }
  }

  /** hermod_dns_query_timeouts_total{resolver}: a query that got no answer within its try timeout. */
  public void dnsQueryTimedOut(String resolver) {
    meters.counter("hermod.dns.query.timeouts",
        "DNS queries unanswered within their try timeout (dns.tryTimeoutMillis, doubling)",
        "resolver", resolver).increment();
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
    meters.counter("hermod.events.journal.appended", "Events appended durably to the event journal").increment(entries);
  }

  /** hermod_events_journal_retired_total: entries dropped by retention (whole old segments). */
  public void journalRetired(long entries) {
    meters.counter("hermod.events.journal.retired",
        "Event journal entries dropped by retention (events.journal.maxBytes, maxAgeHours)").increment(entries);
  }

  /**
   * hermod_events_journal_append_failures_total{reason=queue_full|closed|too_large}: events that were not
   * journaled.
   */
  public void journalAppendFailed(String reason) {
    meters.counter("hermod.events.journal.append.failures",
        "Events not journaled: the append queue was full (slow or failing disk), or the journal closed",
        "reason", reason).increment();
  }

  /** hermod_events_journal_write_errors_total: failed batch writes or fsyncs (the batch is retried). */
  public void journalWriteError() {
    meters.counter("hermod.events.journal.write.errors",
        "Event journal writes or fsyncs that failed (disk full, I/O error); the batch is retried").increment();
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

  // ---- webhooks (io.hermod.webhook; tag webhook = webhooks[].name, a small configured set) ----

  /** hermod_webhook_posts_total{webhook, result=2xx|3xx|4xx|5xx|timeout|error}: one per POST attempt. */
  public void webhookPost(String webhook, String result) {
    meters.counter("hermod.webhook.posts",
        "Webhook POSTs, by endpoint and result",
        "webhook", webhook, "result", result).increment();
  }

  /** hermod_webhook_events_total{webhook}: events acknowledged by the endpoint (a 2xx to their batch). */
  public void webhookEvents(String webhook, int events) {
    meters.counter("hermod.webhook.events",
        "Events acknowledged by a webhook endpoint",
        "webhook", webhook).increment(events);
  }

  /** hermod_webhook_skipped_total{webhook}: events the journal's retention dropped before the endpoint had them. */
  public void webhookSkipped(String webhook, long events) {
    meters.counter("hermod.webhook.skipped",
        "Events dropped by the journal's retention before a webhook endpoint acknowledged them",
        "webhook", webhook).increment(events);
  }

  /**
   * hermod_webhook_lag_events{webhook} (journal entries after the endpoint's committed cursor) and
   * hermod_webhook_backoff_seconds{webhook} (the delay before the retry of a failed batch; 0 while POSTs succeed).
   */
  public void webhookState(String webhook, LongSupplier lagEvents, LongSupplier backoffMillis) {
    Gauge.builder("hermod.webhook.lag.events", lagEvents::getAsLong)
        .description("Journal entries a webhook endpoint has not acknowledged yet").tag("webhook", webhook)
        .register(registry);
    Gauge.builder("hermod.webhook.backoff.seconds", () -> backoffMillis.getAsLong() / 1000.0)
        .description("Delay before a webhook endpoint's failed batch is retried; 0 while its POSTs succeed")
        .tag("webhook", webhook).register(registry);
  }

  /**
   * One DANE lookup of an MX host that went to DNS (cache hits are not counted), by what it found:
   * {@code usable} (secure TLSA records DANE can use), {@code unusable} (secure, none usable: encrypt only),
   * {@code insecure} (no DNSSEC or no TLSA records: no DANE), {@code bogus} (validation failed), {@code failed}
   * (no answer).
   */
  public void daneLookup(String result) {
    meters.counter("hermod.dane.lookups",
        "DANE lookups of MX hosts (address security, then TLSA records), by result",
        "result", result).increment();
  }

  // ---- MTA-STS and TLS-RPT (docs/security.md) ----

  /**
   * hermod_mtasts_fetches_total{result=ok|sts-policy-fetch-error|sts-policy-invalid|sts-webpki-invalid}: one
   * MTA-STS policy fetch (RFC 8461 §3.3), by outcome (the TLS-RPT result type of a failure).
   */
  public void mtaStsFetch(String result) {
    meters.counter("hermod.mtasts.fetches", "MTA-STS policy fetches, by result", "result", result).increment();
  }

  /** hermod_mtasts_policies: the MTA-STS policies this node has cached, read at scrape time. */
  public void mtaStsPolicies(IntSupplier cached) {
    Gauge.builder("hermod.mtasts.policies", cached::getAsInt)
        .description("MTA-STS policies cached on this node").register(registry);
  }

  /**
   * hermod_tlsrpt_sessions_total{result=success|failure}: TLS sessions (and policy fetch failures) counted for
   * TLS-RPT; hermod_tlsrpt_sessions_dropped_total: those not counted (outboundTls.tlsRpt.maxPolicies reached).
   */
  public void tlsRptSession(boolean success, boolean counted) {
    if (counted) {
      meters.counter("hermod.tlsrpt.sessions",
          "TLS sessions counted for TLS-RPT reports, by result",
          "result", success ? "success" : "failure").increment();
    } else {
      meters.counter("hermod.tlsrpt.sessions.dropped",
          "TLS sessions not counted for TLS-RPT: outboundTls.tlsRpt.maxPolicies reached").increment();
    }
  }

  /** hermod_tlsrpt_reports_total{via=mail|https, result=sent|failed}: one TLS-RPT report to one rua. */
  public void tlsRptReport(String via, boolean sent) {
    meters.counter("hermod.tlsrpt.reports",
        "TLS-RPT reports sent to a rua, by way and result",
        "via", via, "result", sent ? "sent" : "failed").increment();
  }
}
