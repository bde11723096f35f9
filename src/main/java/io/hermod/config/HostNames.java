package io.hermod.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Syntax checks for domain names and IP literals. Never resolves anything: no DNS lookup happens here. */
public final class HostNames {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private HostNames() {
  }

  /**
   * A domain name in LDH syntax (RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1), lower-cased, trailing dot
   * dropped; empty if the text is not one. Internationalised names must be given as A-labels ("xn--...").
   * An all-numeric last label is refused (RFC 3696 §2), so "10.0.0.1" is not taken for a domain.
   */
  public static Optional<String> domain(String text) {
    String d = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    d = d.toLowerCase(Locale.ROOT);
    if (d.isEmpty() || d.length() > 253) {
      return Optional.empty();
    }
    String[] labels = d.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(d);
  }

  /** An IPv4 dotted quad or an IPv6 literal (without brackets), parsed without any name lookup. */
  static Optional<InetAddress> ipLiteral(String text) {
    if (IPV4.matcher(text).matches()) {
      String[] parts = text.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(parts[i]);
        if (octet > 255) {
          return Optional.empty();
        }
        bytes[i] = (byte) octet;
      }
      return Optional.of(byAddress(bytes));
    }
    if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
      try {
        // The brackets make InetAddress treat the text as an IPv6 literal only: it throws, never looks up.
        return Optional.of(InetAddress.getByName("[" + text + "]"));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A domain name (normalised as {@link #domain}) or an IP literal (kept as written). */
  static Optional<String> hostOrAddress(String text) {
    if (ipLiteral(text).isPresent()) {
      return Optional.of(text);
    }
    return domain(text);
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a wrong array length
    }
  }
}
