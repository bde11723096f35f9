package io.hermod.spf;

import io.hermod.config.Cidr;
import io.vertx.core.Future;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * check_host() of RFC 7208 §4 over {@link SpfDns}, fully asynchronous. Limits (§4.6.4): at most 10
 * mechanisms or modifiers that query DNS (include, a, mx, ptr, exists, redirect), at most 10 MX names per
 * "mx", at most 2 void lookups; beyond them the result is permerror. "ptr" counts as a lookup and never
 * matches (§5.5: it SHOULD NOT be used). No "exp" explanations.
 */
public final class SpfEvaluator {

  static final int MAX_LOOKUPS = 10;
  static final int MAX_VOID_LOOKUPS = 2;
  static final int MAX_MX_NAMES = 10;

  private final SpfDns dns;

  public SpfEvaluator(SpfDns dns) {
    this.dns = dns;
  }

  /**
   * @param sender the MAIL FROM address, "" for the null sender (then postmaster@helo is checked, §2.4)
   * @param helo   the HELO/EHLO name
   */
  public Future<SpfVerdict> check(InetAddress ip, String sender, String helo) {
    String s = sender == null || sender.isEmpty() ? "postmaster@" + helo : sender;
    int at = s.lastIndexOf('@');
    if (at == 0) {
      s = "postmaster" + s; // §4.3: no local-part: postmaster
      at = s.lastIndexOf('@');
    }
    String domain = s.substring(at + 1);
    if (domain.startsWith("[")) {
      // §2.3/§4.3: an address literal (a HELO of "[192.0.2.1]" for the null sender) is no domain to check.
      return Future.succeededFuture(SpfVerdict.of(SpfResult.NONE, domain));
    }
    Evaluation e = new Evaluation(ip, s, helo);
    return e.checkHost(domain).map(r -> new SpfVerdict(r.result(), domain, r.mechanism(), r.problem()));
  }

  /** A temperror or permerror that ends the evaluation (§4.6.4, §4.4). */
  private static final class Abort extends RuntimeException {
    final SpfResult result;

    Abort(SpfResult result, String message) {
      super(message, null, false, false);
      this.result = result;
    }
  }

  private enum Match { YES, NO }

  /** One top-level evaluation: its lookup budget is shared by every include and redirect in it. */
  private final class Evaluation {
    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private int lookups;
    private int voids;

    Evaluation(InetAddress ip, String sender, String helo) {
      this.ip = ip;
      this.sender = sender;
      this.helo = helo;
    }

    Future<SpfVerdict> checkHost(String domain) {
      if (!validDomain(domain)) {
        return Future.succeededFuture(SpfVerdict.of(SpfResult.NONE, domain)); // §4.3
      }
      return dns.txt(domain).compose(txt -> {
        if (txt.kind() == SpfDns.Kind.FAILED) {
          return Future.succeededFuture(SpfVerdict.error(SpfResult.TEMPERROR, domain, "DNS failure for TXT " + domain));
        }
        List<String> spf = txt.values().stream().filter(SpfRecord::isSpf).toList();
        if (spf.isEmpty()) {
          return Future.succeededFuture(SpfVerdict.of(SpfResult.NONE, domain)); // §4.5
        }
        if (spf.size() > 1) {
          return Future.succeededFuture(SpfVerdict.error(SpfResult.PERMERROR, domain, "more than one SPF record"));
        }
        SpfRecord record;
        try {
          record = SpfRecord.parse(spf.get(0));
        } catch (SpfRecord.SyntaxException e) {
          return Future.succeededFuture(SpfVerdict.error(SpfResult.PERMERROR, domain, e.getMessage()));
        }
        return evaluate(record, 0, domain);
      }).recover(err -> err instanceof Abort a
          ? Future.succeededFuture(SpfVerdict.error(a.result, domain, a.getMessage()))
          : Future.failedFuture(err));
    }

    /** §4.6.2: directives left to right; the first match decides; else the redirect; else neutral. */
    private Future<SpfVerdict> evaluate(SpfRecord record, int index, String domain) {
      if (index == record.directives().size()) {
        if (record.redirect() == null) {
          return Future.succeededFuture(SpfVerdict.of(SpfResult.NEUTRAL, domain)); // §4.7
        }
        countLookup();
        String target = expand(record.redirect(), domain);
        return checkHost(target).map(v -> v.result() == SpfResult.NONE // §6.1: no record there: permerror
            ? SpfVerdict.error(SpfResult.PERMERROR, domain, "redirect to " + target + " without SPF record")
            : v);
      }
      SpfRecord.Directive d = record.directives().get(index);
      return matches(d, domain).compose(m -> m == Match.YES
          ? Future.succeededFuture(new SpfVerdict(SpfResult.ofQualifier(d.qualifier()), domain, d.text(), null))
          : evaluate(record, index + 1, domain));
    }

    private Future<Match> matches(SpfRecord.Directive d, String domain) {
      switch (d.mechanism()) {
        case "all":
          return match(true);
        case "ip4":
        case "ip6":
          return match(inNetwork(d.address()));
        case "a":
          countLookup();
          return addressesMatch(target(d, domain), d);
        case "mx":
          countLookup();
          return mx(target(d, domain), d);
        case "exists":
          countLookup();
          return dns.addresses(target(d, domain), false).map(a -> {
            checkVoid(a);
            return a.kind() == SpfDns.Kind.RECORDS ? Match.YES : Match.NO; // §5.7: always an A query
          });
        case "include":
          countLookup();
          return checkHost(target(d, domain)).map(v -> switch (v.result()) { // §5.2 table
            case PASS -> Match.YES;
            case FAIL, SOFTFAIL, NEUTRAL -> Match.NO;
            case TEMPERROR -> throw new Abort(SpfResult.TEMPERROR, "include:" + v.domain() + ": " + v.problem());
            case PERMERROR -> throw new Abort(SpfResult.PERMERROR, "include:" + v.domain() + ": " + v.problem());
            case NONE -> throw new Abort(SpfResult.PERMERROR, "include:" + v.domain() + " has no SPF record");
          });
        case "ptr":
          countLookup();
          return match(false);
        default:
          throw new Abort(SpfResult.PERMERROR, "unknown mechanism " + d.mechanism());
      }
    }

    private Future<Match> addressesMatch(String name, SpfRecord.Directive d) {
      return dns.addresses(name, ip instanceof Inet6Address).map(a -> {
        checkVoid(a);
        return anyMatches(a.values(), d) ? Match.YES : Match.NO;
      });
    }

    /** §5.4: the MX names (at most 10), then each one's addresses; those lookups are not counted. */
    private Future<Match> mx(String name, SpfRecord.Directive d) {
      return dns.mx(name).compose(mx -> {
        checkVoid(mx);
        if (mx.values().size() > MAX_MX_NAMES) {
          throw new Abort(SpfResult.PERMERROR, "more than " + MAX_MX_NAMES + " MX names for " + name);
        }
        Future<Match> chain = match(false);
        for (String host : mx.values()) {
          chain = chain.compose(m -> m == Match.YES ? match(true)
              : dns.addresses(host, ip instanceof Inet6Address).map(a -> {
                if (a.kind() == SpfDns.Kind.FAILED) {
                  throw new Abort(SpfResult.TEMPERROR, "DNS failure for " + host);
                }
                return anyMatches(a.values(), d) ? Match.YES : Match.NO;
              }));
        }
        return chain;
      });
    }

    private boolean anyMatches(List<String> addresses, SpfRecord.Directive d) {
      int prefix = ip instanceof Inet4Address ? d.cidr4() : d.cidr6();
      return addresses.stream().anyMatch(a -> inNetwork(a + "/" + prefix));
    }

    private boolean inNetwork(String network) {
      try {
        return Cidr.parse(network).contains(ip);
      } catch (IllegalArgumentException e) {
        throw new Abort(SpfResult.PERMERROR, "bad network " + network);
      }
    }

    private String target(SpfRecord.Directive d, String domain) {
      return d.domainSpec() == null ? domain : expand(d.domainSpec(), domain);
    }

    private String expand(String spec, String domain) {
      try {
        String expanded = SpfMacros.expand(spec, new SpfMacros.Context(ip, sender, domain, helo));
        // §7.3: a result over 253 characters loses labels from the left until it fits
        while (expanded.length() > 253 && expanded.indexOf('.') > 0) {
          expanded = expanded.substring(expanded.indexOf('.') + 1);
        }
        return expanded;
      } catch (SpfMacros.MacroException e) {
        throw new Abort(SpfResult.PERMERROR, e.getMessage());
      }
    }

    private void countLookup() {
      if (++lookups > MAX_LOOKUPS) {
        throw new Abort(SpfResult.PERMERROR, "more than " + MAX_LOOKUPS + " DNS lookups");
      }
    }

    /** §4.6.4: FAILED is a temperror; more than two empty answers a permerror. */
    private void checkVoid(SpfDns.Answer a) {
      if (a.kind() == SpfDns.Kind.FAILED) {
        throw new Abort(SpfResult.TEMPERROR, "DNS failure");
      }
      if (a.isVoid() && ++voids > MAX_VOID_LOOKUPS) {
        throw new Abort(SpfResult.PERMERROR, "more than " + MAX_VOID_LOOKUPS + " void DNS lookups");
      }
    }

    private Future<Match> match(boolean yes) {
      return Future.succeededFuture(yes ? Match.YES : Match.NO);
    }
  }

  /** §4.3: a name with at least two labels, each 1..63 characters, at most 253 in all. */
  static boolean validDomain(String domain) {
    String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (d.isEmpty() || d.length() > 253 || !d.contains(".")) {
      return false;
    }
    for (String label : d.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        return false;
      }
    }
    return true;
  }
}
