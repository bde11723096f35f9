package io.hermod.spf;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * RFC 7208 §7 macro expansion for domain-specs. Supported letters: s, l, o, d, i, h (and v); transformers
 * (digits, "r") and delimiters. "p" (validated PTR name) expands to "unknown" as §7.3 allows; the
 * explanation-only letters c, r, t are an error here (§7.2: only allowed in exp text).
 */
final class SpfMacros {

  /** A syntax error in a macro: the record is a permerror. */
  static final class MacroException extends Exception {
    MacroException(String message) {
      super(message);
    }
  }

  /**
   * @param sender the MAIL FROM address (or postmaster@helo for the null sender)
   * @param domain the current domain (d)
   */
  record Context(InetAddress ip, String sender, String domain, String helo) {
  }

  private SpfMacros() {
  }

  static String expand(String spec, Context c) throws MacroException {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < spec.length()) {
      char ch = spec.charAt(i);
      if (ch != '%') {
        out.append(ch);
        i++;
        continue;
      }
      if (i + 1 >= spec.length()) {
        throw new MacroException("a lone % at the end of \"" + spec + "\"");
      }
      char next = spec.charAt(i + 1);
      switch (next) {
        case '%' -> out.append('%');
        case '_' -> out.append(' ');
        case '-' -> out.append("%20");
        case '{' -> {
          int close = spec.indexOf('}', i);
          if (close < 0) {
            throw new MacroException("unclosed macro in \"" + spec + "\"");
          }
          out.append(macro(spec.substring(i + 2, close), c));
          i = close + 1;
          continue;
        }
        default -> throw new MacroException("\"%" + next + "\" is not a macro");
      }
      i += 2;
    }
    return out.toString();
  }

  /** One "{letter digits? r? delimiters?}" body. */
  private static String macro(String body, Context c) throws MacroException {
    if (body.isEmpty()) {
      throw new MacroException("empty macro");
    }
    String value = letter(Character.toLowerCase(body.charAt(0)), c);
    int i = 1;
    int digitsStart = i;
    while (i < body.length() && Character.isDigit(body.charAt(i))) {
      i++;
    }
    int keep = i > digitsStart ? Integer.parseInt(body.substring(digitsStart, Math.min(i, digitsStart + 3))) : 0;
    if (i > digitsStart && keep == 0) {
      throw new MacroException("a macro may not keep zero labels");
    }
    boolean reverse = false;
    if (i < body.length() && Character.toLowerCase(body.charAt(i)) == 'r') {
      reverse = true;
      i++;
    }
    String delimiters = body.substring(i);
    if (!delimiters.matches("[.\\-+,/_=]*")) {
      throw new MacroException("bad macro delimiters \"" + delimiters + "\"");
    }
    String split = delimiters.isEmpty() ? "." : delimiters;
    List<String> parts = new ArrayList<>(Arrays.asList(value.split("[" + java.util.regex.Pattern.quote(split) + "]", -1)));
    if (reverse) {
      Collections.reverse(parts);
    }
    if (keep > 0 && parts.size() > keep) {
      parts = parts.subList(parts.size() - keep, parts.size());
    }
    return String.join(".", parts);
  }

  private static String letter(char letter, Context c) throws MacroException {
    int at = c.sender().lastIndexOf('@');
    return switch (letter) {
      case 's' -> c.sender();
      case 'l' -> at > 0 ? c.sender().substring(0, at) : "postmaster";
      case 'o' -> at >= 0 ? c.sender().substring(at + 1) : c.sender();
      case 'd' -> c.domain();
      case 'h' -> c.helo();
      case 'i' -> ipMacro(c.ip());
      case 'v' -> c.ip() instanceof Inet6Address ? "ip6" : "in-addr";
      case 'p' -> "unknown";
      default -> throw new MacroException("macro letter '" + letter + "' is not allowed here");
    };
  }

  /** §7.3: IPv4 dotted; IPv6 as dot-separated nibbles. */
  private static String ipMacro(InetAddress ip) {
    if (!(ip instanceof Inet6Address)) {
      return ip.getHostAddress();
    }
    StringBuilder out = new StringBuilder();
    for (byte b : ip.getAddress()) {
      out.append(out.length() == 0 ? "" : ".").append(Character.forDigit((b >> 4) & 0xf, 16))
          .append('.').append(Character.forDigit(b & 0xf, 16));
    }
    return out.toString();
  }
}
