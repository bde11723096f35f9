package io.hermod.tlspolicy.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The syntax MTA-STS and TLS-RPT TXT records share (RFC 8461 §3.1, RFC 8460 §3): a version tag, then
 * {@code name=value} fields separated by ";" with optional whitespace (WSP) around it and after the last one.
 * Pure.
 */
public final class TagRecord {

  // ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."); ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
  private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

  private TagRecord() {
  }

  /**
   * The one record starting with {@code version}: others are discarded, and none or several mean none (both
   * RFCs say so).
   */
  public static Optional<String> single(List<String> texts, String version) {
    List<String> candidates = texts.stream().filter(t -> t.startsWith(version)).toList();
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  /**
   * The fields after {@code version}, or empty when the text is not well-formed: each name at most once, every
   * field other than {@code known} ones an extension of valid syntax. Values of known fields are for the
   * caller to check.
   */
  public static Optional<Map<String, String>> fields(String text, String version, Set<String> known) {
    if (!text.startsWith(version)) {
      return Optional.empty();
    }
    String[] parts = text.substring(version.length()).split(";", -1);
    // parts[0] sits between the version and the first ';': only whitespace may.
    if (parts.length < 2 || !stripWsp(parts[0]).isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String field = stripWsp(parts[i]);
      if (field.isEmpty()) {
        if (i == parts.length - 1) {
          continue; // the optional trailing ';'
        }
        return Optional.empty();
      }
      int eq = field.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      String name = field.substring(0, eq);
      String value = field.substring(eq + 1);
      boolean valid = known.contains(name)
          || EXT_NAME.matcher(name).matches() && EXT_VALUE.matcher(value).matches();
      if (!valid || fields.put(name, value) != null) {
        return Optional.empty();
      }
    }
    return Optional.of(fields);
  }

  /** WSP is space and tab only (RFC 5234 B.1). */
  public static String stripWsp(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }
}
