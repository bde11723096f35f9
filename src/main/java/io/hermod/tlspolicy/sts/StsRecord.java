package io.hermod.tlspolicy.sts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1): {@code v=STSv1; id=20160831085700Z;}. Pure.
 *
 * @param id the policy id: a changed id means a new policy to fetch
 */
public record StsRecord(String id) {

  private static final String VERSION = "v=STSv1";
  // §3.1: sts-id = "id=" 1*32(ALPHA / DIGIT)
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
  // sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
  private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

  /**
   * The one record among {@code texts} (each TXT record's strings already joined), or empty when there is no
   * usable one: records not starting with "v=STSv1" are discarded, and anything but exactly one left, or one
   * that is not syntactically valid, means "no policy" (§3.1).
   */
  public static Optional<StsRecord> select(List<String> texts) {
    List<String> candidates = texts.stream().filter(t -> t.startsWith(VERSION)).toList();
    return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
  }

  /** sts-text-record = sts-version 1*(*WSP ";" *WSP sts-field) [";"]; exactly one id field. */
  static Optional<StsRecord> parse(String text) {
    if (!text.startsWith(VERSION)) {
      return Optional.empty();
    }
    String rest = text.substring(VERSION.length());
    String id = null;
    String[] parts = rest.split(";", -1);
    // parts[0] is what sits between the version and the first ';': only whitespace may.
    if (parts.length < 2 || !isWsp(parts[0])) {
      return Optional.empty();
    }
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
      if (name.equals("id")) {
        if (id != null || !ID.matcher(value).matches()) {
          return Optional.empty();
        }
        id = value;
      } else if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
        return Optional.empty();
      }
    }
    return id == null ? Optional.empty() : Optional.of(new StsRecord(id));
  }

  private static boolean isWsp(String s) {
    return stripWsp(s).isEmpty();
  }

  /** WSP is space and tab only (RFC 5234 B.1). */
  static String stripWsp(String s) {
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
