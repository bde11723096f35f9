package io.hermod.tlspolicy.dane;

import io.hermod.metrics.HermodMetrics;
import io.hermod.tlspolicy.DaneAnswer;
import io.hermod.tlspolicy.DaneSource;
import io.hermod.tlspolicy.Tlsa;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DANE source (RFC 7672 §2): for an MX host, are its address records secure (§2.2.2: without that its TLSA
 * records are not even asked for), then its TLSA records at {@code _<port>._tcp.<host>} (§2.2, RFC 6698 §3):
 *
 * <ul>
 *   <li>secure TLSA records with at least one usable ({@link UsableTlsa}) → SECURE with those: DANE;</li>
 *   <li>secure TLSA records, none usable → SECURE without records: TLS without authentication (§2.2);</li>
 *   <li>insecure addresses or TLSA records, or no TLSA records (a secure NODATA or NXDOMAIN) → INSECURE: no DANE;</li>
 *   <li>a bogus answer, or a lookup that failed (§2.1.1: neither secure nor insecure) → BOGUS: the planner does not
 *       use the MX host now and defers.</li>
 * </ul>
 *
 * <p>The TLSA base domain is the MX host name as the MX record gives it: a CNAME at the host name is not expanded
 * for the TLSA lookup (§2.2.2 allows the expanded name first; not done), so DANE-TA certificates must name the MX
 * host. A CNAME at the TLSA name itself is followed by the resolver and validated as part of the answer.
 *
 * <p>Answers are cached per (host, port) for the smallest TTL of the answers they came from (at most an hour); a
 * bogus answer for {@value #BOGUS_TTL_SECONDS} s; a failed lookup not at all.
 */
public final class DaneLookups implements DaneSource {

  static final long BOGUS_TTL_SECONDS = 30;
  static final long MAX_TTL_SECONDS = 3600;
  private static final Logger LOG = Logger.getLogger(DaneLookups.class.getName());

  private final Vertx vertx;
  private final DnssecQuestions dns;
  private final DaneCache cache;
  private final HermodMetrics metrics;

  public DaneLookups(Vertx vertx, DnssecQuestions dns, int cacheSize, HermodMetrics metrics) {
    this.vertx = vertx;
    this.dns = dns;
    this.cache = new DaneCache(cacheSize, System::nanoTime);
    this.metrics = metrics;
  }

  /** The outcome of one lookup: what the planner gets, the metric's result and how long to keep it. */
  private record Found(DaneAnswer answer, String result, long ttlSeconds, String detail) {

    static Found of(DnssecAnswer.Security failure, String detail) {
      return failure == DnssecAnswer.Security.BOGUS
          ? new Found(new DaneAnswer(DaneAnswer.Security.BOGUS, List.of()), "bogus", BOGUS_TTL_SECONDS, detail)
          : new Found(new DaneAnswer(DaneAnswer.Security.BOGUS, List.of()), "failed", 0, detail);
    }

    static Found insecure(long ttlSeconds) {
      return new Found(DaneAnswer.INSECURE, "insecure", ttlSeconds, null);
    }
  }

  @Override
  public Future<DaneAnswer> tlsa(String mxHost, int port) {
    Context context = vertx.getOrCreateContext();
    String key = mxHost.toLowerCase(Locale.ROOT) + ":" + port;
    DaneAnswer cached = cache.get(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    Name host = hostName(mxHost);
    if (host == null) {
      return Future.succeededFuture(DaneAnswer.INSECURE); // an address literal or no name: nothing to look up
    }
    return lookup(host, port, context).map(found -> {
      metrics.daneLookup(found.result);
      if (found.detail != null) {
        LOG.log(Level.WARNING, () -> "DANE: " + mxHost + " port " + port + ": " + found.result + ": "
            + found.detail);
      }
      cache.put(key, found.answer, Math.min(found.ttlSeconds, MAX_TTL_SECONDS));
      return found.answer;
    });
  }

  private Future<Found> lookup(Name host, int port, Context context) {
    Future<DnssecAnswer> v4 = dns.ask(host, Type.A, context);
    Future<DnssecAnswer> v6 = dns.ask(host, Type.AAAA, context);
    return Future.all(v4, v6).compose(done -> {
      DnssecAnswer a = v4.result();
      DnssecAnswer aaaa = v6.result();
      DnssecAnswer.Security worst = addressSecurity(a.security(), aaaa.security());
      long ttl = Math.min(a.ttlSeconds(), aaaa.ttlSeconds());
      return switch (worst) {
        case BOGUS, FAILED -> Future.succeededFuture(Found.of(worst,
            "address records: " + (a.security() == worst ? a.detail() : aaaa.detail())));
        case INSECURE -> Future.succeededFuture(Found.insecure(ttl));
        case SECURE -> tlsaRecords(host, port, context, ttl);
      };
    });
  }

  /** The least secure of the two: one bogus or failed answer spoils both, one insecure makes both insecure. */
  static DnssecAnswer.Security addressSecurity(DnssecAnswer.Security a, DnssecAnswer.Security aaaa) {
    for (DnssecAnswer.Security s : List.of(DnssecAnswer.Security.BOGUS, DnssecAnswer.Security.FAILED,
        DnssecAnswer.Security.INSECURE)) {
      if (a == s || aaaa == s) {
        return s;
      }
    }
    return DnssecAnswer.Security.SECURE;
  }

  private Future<Found> tlsaRecords(Name host, int port, Context context, long addressTtl) {
    Name tlsaName;
    try {
      tlsaName = Name.concatenate(Name.fromString("_" + port + "._tcp"), host);
    } catch (Exception e) { // a name too long for the prefix: no TLSA record can exist there
      return Future.succeededFuture(Found.insecure(addressTtl));
    }
    return dns.ask(tlsaName, Type.TLSA, context).map(answer -> {
      long ttl = Math.min(addressTtl, answer.ttlSeconds());
      return switch (answer.security()) {
        case BOGUS, FAILED -> Found.of(answer.security(), "TLSA records: " + answer.detail());
        case INSECURE -> Found.insecure(ttl);
        case SECURE -> {
          if (answer.records().isEmpty()) {
            yield Found.insecure(ttl); // secure proof that there are none: no DANE
          }
          List<Tlsa> usable = UsableTlsa.of(answer.records());
          yield new Found(new DaneAnswer(DaneAnswer.Security.SECURE, usable), usable.isEmpty() ? "unusable" : "usable",
              ttl, null);
        }
      };
    });
  }

  private static Name hostName(String mxHost) {
    if (mxHost.isEmpty() || mxHost.startsWith("[") || mxHost.indexOf(':') >= 0 || mxHost.matches("[0-9.]+")) {
      return null;
    }
    try {
      return Name.fromString(mxHost, Name.root);
    } catch (TextParseException e) {
      return null;
    }
  }
}
