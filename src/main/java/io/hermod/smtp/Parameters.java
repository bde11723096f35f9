package io.hermod.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The esmtp-parameters after a MAIL or RCPT path (RFC 5321 §4.1.2), as upper-case keyword → value (null
 * when the parameter has no value), or the reply refusing them.
 * <pre>
 *   esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 *   esmtp-value   = 1*(%d33-60 / %d62-126)    (plus UTF-8 under RFC 6531)
 * </pre>
 * An identical repeat is tolerated (Python's smtplib repeats SMTPUTF8 and BODY); a conflicting one is not.
 */
record Parameters(Map<String, String> values, Reply refusal) {

  static Parameters parse(String arg, int from) {
    Map<String, String> values = new LinkedHashMap<>();
    if (from == arg.length()) {
      return new Parameters(values, null);
    }
    if (arg.charAt(from) != ' ') {
      return refuse(Replies.SYNTAX_PARAMS);
    }
    Map<String, String> raw = new LinkedHashMap<>();
    for (String p : arg.substring(from).trim().split(" +")) {
      if (p.isEmpty()) {
        continue;
      }
      if (!wellFormed(p)) {
        return refuse(Replies.SYNTAX_PARAMS);
      }
      int eq = p.indexOf('=');
      String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
      String seen = raw.putIfAbsent(key, p);
      if (seen != null) {
        if (!seen.equalsIgnoreCase(p)) {
          return refuse(Replies.badParameter(key));
        }
        continue;
      }
      values.put(key, eq < 0 ? null : p.substring(eq + 1));
    }
    return new Parameters(values, null);
  }

  private static Parameters refuse(Reply r) {
    return new Parameters(Map.of(), r);
  }

  private static boolean wellFormed(String p) {
    int eq = p.indexOf('=');
    int keyEnd = eq < 0 ? p.length() : eq;
    if (keyEnd == 0 || !Ascii.isLetDig(p.charAt(0))) {
      return false;
    }
    for (int i = 1; i < keyEnd; i++) {
      char c = p.charAt(i);
      if (!Ascii.isLetDig(c) && c != '-') {
        return false;
      }
    }
    if (eq >= 0) {
      if (eq == p.length() - 1) {
        return false;
      }
      for (int i = eq + 1; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < 33 || c == '=' || c == 127) {
          return false;
        }
      }
    }
    return true;
  }
}
