package io.hermod.tlspolicy;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Does a server certificate name the MX host? RFC 6125 §6.4 as RFC 7672 §3.2.3 and RFC 8461 §4.2 apply it to
 * SMTP: the DNS-IDs (subjectAltName dNSName entries) are compared with the MX host name, case-insensitively,
 * without trailing dots; a "*" is allowed only as the whole left-most label and stands for exactly one label
 * ("*.example.com" names "mx.example.com", not "example.com" nor "a.mx.example.com"). The subject's CN is not
 * consulted (RFC 9525 §6.3 retired that fallback; every public CA puts the names in the subjectAltName).
 */
public final class CertificateNames {

  private CertificateNames() {
  }

  /** The certificate's dNSName entries, as written (empty when it has none or they cannot be parsed). */
  public static List<String> dnsNames(X509Certificate certificate) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if ((Integer) n.get(0) == 2) {
            out.add(String.valueOf(n.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A malformed extension names nothing.
    }
    return out;
  }

  /** True when one of {@code dnsNames} matches {@code host}. */
  public static boolean matches(List<String> dnsNames, String host) {
    String h = TlsPolicyMap.normalise(host);
    return dnsNames.stream().anyMatch(n -> matches(TlsPolicyMap.normalise(n), h));
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.isEmpty() || host.isEmpty()) {
      return false;
    }
    if (!pattern.startsWith("*.")) {
      return pattern.indexOf('*') < 0 && pattern.equals(host);
    }
    String rest = pattern.substring(2);
    int dot = host.indexOf('.');
    // The wildcard takes the whole left-most label, never more than one, and never a lone public suffix
    // ("*.com" has no dot left in its rest).
    return rest.indexOf('*') < 0 && rest.indexOf('.') > 0 && dot > 0 && host.substring(dot + 1).equals(rest);
  }

  /** "mx.example.com, *.example.net" or "no DNS names", for reasons and logs. */
  public static String describe(X509Certificate certificate) {
    List<String> names = dnsNames(certificate);
    return names.isEmpty() ? "no DNS names" : String.join(", ", names);
  }
}
