package io.hermod.local;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The Maildir of one recipient: the configured template with {@code %d} (domain) and {@code %u} (local
 * part, lower case) replaced. The local part becomes a path segment, so anything that could leave the
 * intended folder ("/", a leading ".", NUL, control characters) is refused.
 */
final class MaildirPath {

  private MaildirPath() {
  }

  /** @throws IllegalArgumentException when the local part cannot be a folder name */
  static Path of(String template, String address, String fallbackDomain) {
    int at = address.lastIndexOf('@');
    String localPart = unquote(at < 0 ? address : address.substring(0, at)).toLowerCase(Locale.ROOT);
    String domain = at < 0 ? fallbackDomain : address.substring(at + 1).toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    checkSegment(localPart, "local part");
    checkSegment(domain, "domain");
    return Path.of(template.replace("%d", domain).replace("%u", localPart));
  }

  private static String unquote(String localPart) {
    if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
      return localPart.substring(1, localPart.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return localPart;
  }

  private static void checkSegment(String s, String what) {
    if (s.isEmpty() || s.startsWith(".") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(what + " cannot be a Maildir folder name: " + s);
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
        throw new IllegalArgumentException(what + " has a control character");
      }
    }
  }
}
