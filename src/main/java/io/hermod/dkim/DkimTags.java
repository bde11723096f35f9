package io.hermod.dkim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tag=value list of RFC 6376 §3.2 (DKIM-Signature fields and key records): tags separated by ";", white
 * space (FWS) around names and values ignored, a trailing ";" allowed, a duplicate tag an error.
 */
final class DkimTags {

  private DkimTags() {
  }

  /**
   * @return the tags in order, values with surrounding white space removed (inner folding kept)
   * @throws DkimException (permerror) on a malformed list
   */
  static Map<String, String> parse(String list) {
    Map<String, String> tags = new LinkedHashMap<>();
    String[] specs = list.split(";", -1);
    for (int i = 0; i < specs.length; i++) {
      String spec = specs[i];
      if (spec.isBlank()) {
        if (i == specs.length - 1) {
          break; // §3.2: the last tag may be followed by a ";"
        }
        throw DkimException.perm("empty tag in tag list");
      }
      int eq = spec.indexOf('=');
      if (eq < 0) {
        throw DkimException.perm("tag without \"=\": " + printable(spec.strip()));
      }
      String name = fws(spec.substring(0, eq));
      if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw DkimException.perm("bad tag name: " + printable(name));
      }
      String value = fws(spec.substring(eq + 1));
      if (tags.put(name, value) != null) {
        throw DkimException.perm("duplicate tag " + name); // §3.2: "MUST be interpreted as a permanent error"
      }
    }
    return tags;
  }

  /** Strips leading and trailing FWS (SP, HTAB, CRLF). */
  private static String fws(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && " \t\r\n".indexOf(s.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && " \t\r\n".indexOf(s.charAt(to - 1)) >= 0) {
      to--;
    }
    return s.substring(from, to);
  }

  /** Removes every FWS character: for base64 values (b=, bh=, p=), which may be folded anywhere. */
  static String withoutWhiteSpace(String value) {
    return value.replaceAll("[ \t\r\n]", "");
  }

  /** At most 40 printable ASCII characters of a client's text, for a reason in a header comment. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 40; i++) {
      char c = s.charAt(i);
      sb.append(c > ' ' && c < 127 && c != '(' && c != ')' && c != '\\' && c != '"' ? c : '?');
    }
    return sb.toString();
  }
}
