package io.hermod.tlspolicy.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server certificate names an MX host (RFC 7672 §3.2.3 with RFC 6125): its subjectAltName DNS names, or,
 * when it has none, its subject's CN; a "*" as the whole leftmost label matches exactly one label. Case-insensitive,
 * a trailing dot ignored. Pure.
 */
final class ReferenceIdentifiers {

  private static final int DNS_NAME = 2;

  private ReferenceIdentifiers() {
  }

  static boolean names(X509Certificate certificate, String host) {
    String reference = normalize(host);
    for (String presented : presentedNames(certificate)) {
      if (matches(normalize(presented), reference)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String presented, String reference) {
    if (presented.startsWith("*.")) {
      int dot = reference.indexOf('.');
      return dot > 0 && reference.substring(dot + 1).equals(presented.substring(2))
          && presented.indexOf('*', 1) < 0;
    }
    return presented.indexOf('*') < 0 && presented.equals(reference);
  }

  private static List<String> presentedNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alt = certificate.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> n : alt) {
          if ((Integer) n.get(0) == DNS_NAME) {
            names.add(String.valueOf(n.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (names.isEmpty()) { // RFC 7672 §3.2.3: the CN only when there is no DNS subjectAltName
      try {
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            names.add(String.valueOf(rdn.getValue()));
          }
        }
      } catch (InvalidNameException e) {
        return List.of();
      }
    }
    return names;
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
