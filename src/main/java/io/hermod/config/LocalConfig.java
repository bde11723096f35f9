package io.hermod.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Local delivery ("local", docs/local-delivery.md).
 *
 * @param transports     per local domain (lower case) or "*" (every other local domain) ("local.transports");
 *                       a domain with neither has {@link LocalTransport.None}
 * @param users          per local domain, the known local parts in lower case ("local.users"); a domain
 *                       listed here refuses other local parts at RCPT with 550 5.1.1
 * @param timeoutSeconds how long one LMTP step or one bus request may take ("local.timeoutSeconds")
 * @param inlineMaxBytes messages up to this size travel base64-inline in a bus request, bigger ones as a
 *                       spool file reference ("local.inlineMaxBytes")
 * @param workerThreads  threads for Maildir file I/O and fsync ("local.workerThreads")
 */
public record LocalConfig(Map<String, LocalTransport> transports, Map<String, Set<String>> users,
                          int timeoutSeconds, int inlineMaxBytes, int workerThreads) {

  public static final String ANY_DOMAIN = "*";

  public LocalConfig {
    transports = Map.copyOf(transports);
    users = Map.copyOf(users);
  }

  /** The transport of {@code domain} (any case): its own, else "*", else none. */
  public LocalTransport transportFor(String domain) {
    LocalTransport t = transports.get(domain.toLowerCase(Locale.ROOT));
    if (t == null) {
      t = transports.get(ANY_DOMAIN);
    }
    return t == null ? new LocalTransport.None() : t;
  }

  /**
   * False only when {@code domain} has a user list and {@code localPart} (any case) is not on it;
   * postmaster is always known (RFC 5321 §4.5.1).
   */
  public boolean knowsUser(String domain, String localPart) {
    Set<String> known = users.get(domain.toLowerCase(Locale.ROOT));
    String part = localPart.toLowerCase(Locale.ROOT);
    return known == null || known.contains(part) || part.equals("postmaster");
  }
}
