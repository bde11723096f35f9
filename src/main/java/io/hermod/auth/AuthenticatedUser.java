package io.hermod.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A user that passed SMTP AUTH, with the domains whose addresses it may use as MAIL FROM when
 * auth.restrictSenderDomains is on: the domain of the login name when the login is an address
 * ({@code alice@a.example}), plus the domains listed for it in the user file.
 */
public record AuthenticatedUser(String name, Set<String> senderDomains) {

  public AuthenticatedUser {
    senderDomains = Set.copyOf(senderDomains);
  }

  /** The login's own domain (if the name is an address) plus the listed ones, lower-cased. */
  public static AuthenticatedUser of(String name, List<String> listedDomains) {
    Set<String> domains = new LinkedHashSet<>();
    int at = name.lastIndexOf('@');
    if (at > 0 && at < name.length() - 1) {
      domains.add(name.substring(at + 1).toLowerCase(Locale.ROOT));
    }
    listedDomains.forEach(d -> domains.add(d.toLowerCase(Locale.ROOT)));
    return new AuthenticatedUser(name, domains);
  }

  /**
   * True when {@code address} (a MAIL FROM path, "" for the null sender) is in one of the user's domains,
   * exactly (no subdomains; case ignored). The null sender is always allowed: bounces and auto-replies must
   * use it (RFC 5321 §4.5.5, RFC 3834 §3.3), and it names no one to impersonate.
   */
  public boolean mayUseSender(String address) {
    if (address.isEmpty()) {
      return true;
    }
    int at = address.lastIndexOf('@');
    return at >= 0 && senderDomains.contains(address.substring(at + 1).toLowerCase(Locale.ROOT));
  }
}
