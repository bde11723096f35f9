package io.hermod.tlspolicy;

import java.time.Instant;
import java.util.List;

/**
 * A domain's MTA-STS policy (RFC 8461 §3.2) as fetched and cached.
 *
 * @param mode     enforce, testing or none
 * @param mx       the "mx" patterns ("mail.example.com", "*.example.net")
 * @param maxAge   the policy's max_age in seconds
 * @param id       the TXT record's id the policy was fetched under
 * @param fetched  when it was fetched
 */
public record StsPolicy(Mode mode, List<String> mx, long maxAge, String id, Instant fetched) {

  public enum Mode { ENFORCE, TESTING, NONE }

  public StsPolicy {
    mx = List.copyOf(mx);
  }

  /**
   * RFC 8461 §4.1: an MX host matches a pattern exactly, or a "*." pattern when the host has exactly one more
   * label on the left (case-insensitive, without a trailing dot).
   */
  public boolean allows(String mxHost) {
    String host = mxHost.toLowerCase(java.util.Locale.ROOT);
    host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    for (String p : mx) {
      String pattern = p.toLowerCase(java.util.Locale.ROOT);
      if (pattern.startsWith("*.")) {
        int dot = host.indexOf('.');
        if (dot > 0 && host.substring(dot + 1).equals(pattern.substring(2))) {
          return true;
        }
      } else if (host.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}
