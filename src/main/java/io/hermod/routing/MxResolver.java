package io.hermod.routing;

import io.hermod.config.DnsConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds where mail for a domain goes (RFC 5321 §5.1) using dnsjava, off the event loop. Every future
 * it returns completes on the Vert.x context of the caller (an event-loop context is created for
 * callers outside Vert.x).
 *
 * <p>Construct it outside the event loop when no dns.resolvers are configured: that reads
 * /etc/resolv.conf once.
 */
public final class MxResolver implements AutoCloseable {

  private final Vertx vertx;
  private final DnsClient dns;
  private final ExecutorService ownExecutor;
  private final io.hermod.metrics.HermodMetrics metrics;

  /** Runs dnsjava's work on {@code executor}, which the caller owns. */
  public MxResolver(Vertx vertx, DnsConfig config, Executor executor) {
    this(vertx, config, executor, null);
  }

  /** Runs dnsjava's work on two daemon threads of its own, stopped by {@link #close()}. */
  public MxResolver(Vertx vertx, DnsConfig config) {
    this(vertx, config, io.hermod.metrics.HermodMetrics.noop());
  }

  /** As {@link #MxResolver(Vertx, DnsConfig)}, counting lookups and their latency in {@code metrics}. */
  public MxResolver(Vertx vertx, DnsConfig config, io.hermod.metrics.HermodMetrics metrics) {
    this(vertx, config, null, Executors.newFixedThreadPool(2, daemonThreads()), metrics);
  }

  private MxResolver(Vertx vertx, DnsConfig config, Executor given, ExecutorService own) {
    this(vertx, config, given, own, io.hermod.metrics.HermodMetrics.noop());
  }

  private MxResolver(Vertx vertx, DnsConfig config, Executor given, ExecutorService own,
                     io.hermod.metrics.HermodMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.ownExecutor = own;
    this.dns = new DnsClient(vertx, config, given != null ? given : own, metrics);
  }

  /** The DNS client, for other lookups that share its cache and threads (SPF). */
  public DnsClient dns() {
    return dns;
  }

  /**
   * The mail exchangers of {@code domain}, or why there are none. Never fails: every DNS problem is a
   * {@link Resolution.Failure}. An address literal ("[192.0.2.1]", "[IPv6:2001:db8::1]") resolves to
   * itself without DNS; whether to deliver to it is the router's decision.
   */
  public Future<Resolution> resolve(String domain) {
    long started = System.nanoTime(); // metrics
    return lookup(domain).onSuccess(r -> metrics.dnsLookup(resultTag(r), System.nanoTime() - started));
  }

  /** The fixed result tag of hermod_dns_lookups_total. */
  private static String resultTag(Resolution r) {
    if (r instanceof Resolution.Hosts) {
      return "ok";
    }
    if (r instanceof Resolution.NoSuchDomain) {
      return "nxdomain";
    }
    if (r instanceof Resolution.NullMx) {
      return "nullmx";
    }
    return r instanceof Resolution.Unroutable ? "unroutable" : "tempfail";
  }

  private Future<Resolution> lookup(String domain) {
    Context context = vertx.getOrCreateContext();
    if (IpLiteral.isBracketed(domain)) {
      Resolution literal = IpLiteral.parse(domain)
          .<Resolution>map(ip -> new Resolution.Hosts(List.of(new MxHost(ip.getHostAddress(), 0, List.of(ip)))))
          .orElseGet(() -> new Resolution.NoSuchDomain(domain));
      return completed(literal, context);
    }
    Optional<Name> name = absoluteName(domain);
    if (name.isEmpty()) {
      return completed(new Resolution.NoSuchDomain(domain), context);
    }
    return dns.query(name.get(), Type.MX, context).compose(mx -> switch (mx.kind()) {
      case NX_DOMAIN -> Future.succeededFuture(new Resolution.NoSuchDomain(domain));
      case FAILED -> Future.succeededFuture(new Resolution.TempFail(mx.failure()));
      case NO_DATA -> implicitMx(domain, name.get(), context);
      case RECORDS -> exchangers(domain, mx.records(), context);
    });
  }

  /**
   * The A and AAAA addresses of a host (a next hop written "[host]"), IPv4 first. An IP literal, with or
   * without brackets, is returned as is. Fails with a {@link ResolutionException} carrying
   * {@link Resolution.NoSuchDomain}, {@link Resolution.Unroutable} (no address records) or
   * {@link Resolution.TempFail}.
   */
  public Future<List<InetAddress>> resolveHost(String host) {
    Context context = vertx.getOrCreateContext();
    Optional<InetAddress> literal = IpLiteral.parse(host);
    if (literal.isPresent()) {
      return completed(List.of(literal.get()), context);
    }
    Optional<Name> name = absoluteName(host);
    if (name.isEmpty()) {
      return completed(new Resolution.NoSuchDomain(host), context).map(MxResolver::rejected);
    }
    return addresses(name.get(), context).map(found -> {
      if (!found.addresses().isEmpty()) {
        return found.addresses();
      }
      if (found.failure() != null) {
        return rejected(new Resolution.TempFail(found.failure()));
      }
      return rejected(found.nxDomain() ? new Resolution.NoSuchDomain(host) : new Resolution.Unroutable(host));
    });
  }

  /** Stops the executor this resolver created, if any. */
  @Override
  public void close() {
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  /** RFC 5321 §5.1: no MX records, so the domain itself is the only host, preference 0. */
  private Future<Resolution> implicitMx(String domain, Name name, Context context) {
    return addresses(name, context).map(found -> {
      if (!found.addresses().isEmpty()) {
        return new Resolution.Hosts(List.of(new MxHost(hostName(name), 0, found.addresses())));
      }
      if (found.failure() != null) {
        return new Resolution.TempFail(found.failure());
      }
      return new Resolution.Unroutable(domain);
    });
  }

  private Future<Resolution> exchangers(String domain, List<Record> records, Context context) {
    // Lowest preference per distinct host; a "." target is a null MX (RFC 7505 §3), meaningful alone.
    Map<Name, Integer> preferences = new LinkedHashMap<>();
    boolean nullMx = false;
    for (Record record : records) {
      if (record instanceof MXRecord mx) {
        if (mx.getTarget().equals(Name.root)) {
          nullMx = true;
        } else {
          preferences.merge(mx.getTarget(), mx.getPriority(), Math::min);
        }
      }
    }
    if (preferences.isEmpty()) {
      return Future.succeededFuture(nullMx ? new Resolution.NullMx(domain) : new Resolution.Unroutable(domain));
    }
    List<Name> hosts = new ArrayList<>(preferences.keySet());
    List<Future<HostAddresses>> lookups = hosts.stream().map(host -> addresses(host, context)).toList();
    return Future.all(lookups).map(done -> {
      TreeMap<Integer, List<MxHost>> byPreference = new TreeMap<>();
      String failure = null;
      for (int i = 0; i < hosts.size(); i++) {
        HostAddresses found = lookups.get(i).result();
        if (found.addresses().isEmpty()) {
          failure = failure != null ? failure : found.failure();
          continue; // a host without addresses is skipped, as Postfix does
        }
        int preference = preferences.get(hosts.get(i));
        byPreference.computeIfAbsent(preference, p -> new ArrayList<>())
            .add(new MxHost(hostName(hosts.get(i)), preference, found.addresses()));
      }
      if (byPreference.isEmpty()) {
        // Postfix defers here too: the MX hosts may gain addresses, or their lookups may recover.
        return new Resolution.TempFail("no address for MX hosts of " + domain
            + (failure != null ? " (" + failure + ")" : ""));
      }
      List<MxHost> ordered = new ArrayList<>();
      for (List<MxHost> equal : byPreference.values()) {
        Collections.shuffle(equal, ThreadLocalRandom.current()); // RFC 5321 §5.1: spread the load
        ordered.addAll(equal);
      }
      return new Resolution.Hosts(ordered);
    });
  }

  /** A then AAAA of {@code host}, asked in parallel. */
  private Future<HostAddresses> addresses(Name host, Context context) {
    Future<DnsAnswer> v4 = dns.query(host, Type.A, context);
    Future<DnsAnswer> v6 = dns.query(host, Type.AAAA, context);
    return Future.all(v4, v6).map(done -> HostAddresses.of(v4.result(), v6.result()));
  }

  /** What the A and AAAA queries of one host found. */
  private record HostAddresses(List<InetAddress> addresses, String failure, boolean nxDomain) {

    static HostAddresses of(DnsAnswer v4, DnsAnswer v6) {
      List<InetAddress> addresses = new ArrayList<>();
      for (DnsAnswer answer : List.of(v4, v6)) {
        for (Record record : answer.records()) {
          if (record instanceof ARecord a) {
            addresses.add(a.getAddress());
          } else if (record instanceof AAAARecord aaaa) {
            addresses.add(aaaa.getAddress());
          }
        }
      }
      String failure = v4.kind() == DnsAnswer.Kind.FAILED ? v4.failure()
          : v6.kind() == DnsAnswer.Kind.FAILED ? v6.failure() : null;
      boolean nxDomain = v4.kind() == DnsAnswer.Kind.NX_DOMAIN && v6.kind() == DnsAnswer.Kind.NX_DOMAIN;
      return new HostAddresses(addresses, failure, nxDomain);
    }
  }

  private static <T> T rejected(Resolution.Failure failure) {
    throw new ResolutionException(failure);
  }

  private static <T> Future<T> completed(T value, Context context) {
    // Through a completed stage so that even an immediate answer is delivered on the caller's context.
    return Future.fromCompletionStage(CompletableFuture.completedFuture(value), context);
  }

  private static Optional<Name> absoluteName(String domain) {
    try {
      return Optional.of(Name.fromString(domain, Name.root));
    } catch (TextParseException e) {
      return Optional.empty();
    }
  }

  private static String hostName(Name name) {
    return name.toString(true);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "hermod-dns-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
