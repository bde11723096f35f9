package io.hermod.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed "v=spf1" record (RFC 7208 §4.6, §12 ABNF): its directives in order and the redirect modifier.
 * Unknown modifiers are ignored (§6); "exp" is read and not used (we give no explanation text).
 */
record SpfRecord(List<Directive> directives, String redirect) {

  /** A record that does not parse: the result is permerror (§4.6). */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message);
    }
  }

  /**
   * @param qualifier  '+', '-', '~' or '?'
   * @param mechanism  lower-case name: all, include, a, mx, ptr, ip4, ip6, exists
   * @param domainSpec the target (macros not yet expanded), or null for the current domain
   * @param address    ip4/ip6: the network "addr/prefix"
   * @param cidr4      a/mx: the IPv4 prefix length (32 when not given)
   * @param cidr6      a/mx: the IPv6 prefix length (128 when not given)
   * @param text       the term as written, for Received-SPF
   */
  record Directive(char qualifier, String mechanism, String domainSpec, String address, int cidr4, int cidr6,
                   String text) {
  }

  private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)");
  private static final Pattern MECHANISM = Pattern.compile("([+\\-~?]?)([A-Za-z][A-Za-z0-9._-]*)(.*)");
  private static final Pattern DUAL_CIDR = Pattern.compile("(?:/(\\d{1,2}))?(?://(\\d{1,3}))?");

  /** True for a TXT string that is an SPF record (§4.5: "v=spf1" then a space or the end). */
  static boolean isSpf(String txt) {
    return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
  }

  static SpfRecord parse(String txt) throws SyntaxException {
    List<Directive> directives = new ArrayList<>();
    String redirect = null;
    boolean sawExp = false;
    for (String term : txt.substring(6).trim().split(" +")) {
      if (term.isEmpty()) {
        continue;
      }
      Matcher m = MODIFIER.matcher(term);
      if (m.matches()) {
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (name.equals("redirect")) {
          if (redirect != null) {
            throw new SyntaxException("two redirect modifiers"); // §6: at most one
          }
          redirect = domainSpec(m.group(2), term);
        } else if (name.equals("exp")) {
          if (sawExp) {
            throw new SyntaxException("two exp modifiers");
          }
          sawExp = true;
        }
        continue;
      }
      directives.add(directive(term));
    }
    return new SpfRecord(directives, redirect);
  }

  private static Directive directive(String term) throws SyntaxException {
    Matcher m = MECHANISM.matcher(term);
    if (!m.matches()) {
      throw new SyntaxException("bad term \"" + term + "\"");
    }
    char qualifier = m.group(1).isEmpty() ? '+' : m.group(1).charAt(0);
    String name = m.group(2).toLowerCase(Locale.ROOT);
    String rest = m.group(3);
    switch (name) {
      case "all":
        if (!rest.isEmpty()) {
          throw new SyntaxException("\"all\" takes no argument: \"" + term + "\"");
        }
        return new Directive(qualifier, name, null, null, 32, 128, term);
      case "include":
      case "exists":
        if (!rest.startsWith(":")) {
          throw new SyntaxException("\"" + name + "\" needs a domain: \"" + term + "\"");
        }
        return new Directive(qualifier, name, domainSpec(rest.substring(1), term), null, 32, 128, term);
      case "ptr":
        return new Directive(qualifier, name, rest.startsWith(":") ? domainSpec(rest.substring(1), term) : null,
            null, 32, 128, term);
      case "a":
      case "mx":
        return dualCidr(qualifier, name, rest, term);
      case "ip4":
      case "ip6":
        return network(qualifier, name, rest, term);
      default:
        throw new SyntaxException("unknown mechanism \"" + name + "\"");
    }
  }

  /** a/mx: [":" domain-spec] [dual-cidr-length]; the CIDR part starts at the first "/" after any macro. */
  private static Directive dualCidr(char qualifier, String name, String rest, String term) throws SyntaxException {
    String domain = null;
    String cidr = rest;
    if (rest.startsWith(":")) {
      int slash = rest.indexOf('/', Math.max(1, rest.lastIndexOf('}')));
      domain = domainSpec(slash < 0 ? rest.substring(1) : rest.substring(1, slash), term);
      cidr = slash < 0 ? "" : rest.substring(slash);
    }
    Matcher c = DUAL_CIDR.matcher(cidr);
    if (!c.matches()) {
      throw new SyntaxException("bad CIDR length in \"" + term + "\"");
    }
    int v4 = c.group(1) == null ? 32 : Integer.parseInt(c.group(1));
    int v6 = c.group(2) == null ? 128 : Integer.parseInt(c.group(2));
    if (v4 > 32 || v6 > 128) {
      throw new SyntaxException("CIDR length out of range in \"" + term + "\"");
    }
    return new Directive(qualifier, name, domain, null, v4, v6, term);
  }

  private static Directive network(char qualifier, String name, String rest, String term) throws SyntaxException {
    if (!rest.startsWith(":") || rest.length() == 1) {
      throw new SyntaxException("\"" + name + "\" needs an address: \"" + term + "\"");
    }
    String spec = rest.substring(1);
    boolean v4 = name.equals("ip4");
    String addr = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
    if (v4 ? !addr.matches("\\d{1,3}(\\.\\d{1,3}){3}") : !addr.contains(":")) {
      throw new SyntaxException("bad address in \"" + term + "\"");
    }
    String network = spec.contains("/") ? spec : spec + (v4 ? "/32" : "/128");
    return new Directive(qualifier, name, null, network, 32, 128, term);
  }

  private static String domainSpec(String spec, String term) throws SyntaxException {
    if (spec.isEmpty()) {
      throw new SyntaxException("empty domain in \"" + term + "\"");
    }
    return spec;
  }
}
