package io.hermod.tlspolicy.sts;

import io.hermod.tlspolicy.StsPolicy;
import io.hermod.tlspolicy.web.TagRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The policy body of {@code /.well-known/mta-sts.txt} (RFC 8461 §3.2), strictly: "key: value" lines ended by
 * LF or CRLF; version STSv1, mode and max_age exactly once, at least one mx unless the mode is none; names and
 * keywords case-sensitive; unknown keys that are well-formed are ignored. Pure.
 */
public final class StsPolicyParser {

  /** §3.2: max_age is at most 31557600 seconds (about one year). */
  public static final long MAX_AGE_LIMIT = 31_557_600L;

  private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+( [\\x21-\\x3A\\x3C\\x3E-\\x7E]+)*");
  private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
  // sts-policy-mx-value = ["*."] Domain; Domain as RFC 5321 §4.1.2 (sub-domain *("." sub-domain))
  private static final Pattern MX = Pattern.compile(
      "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  /** A parsed policy and its lines (the TLS-RPT report's "policy-string", RFC 8460 §4.4). */
  public record Parsed(StsPolicy policy, List<String> lines) {
  }

  private StsPolicyParser() {
  }

  /**
   * @param id      the TXT record's id the body was fetched under
   * @param fetched when it was fetched
   */
  public static Parsed parse(String body, String id, Instant fetched) throws PolicyInvalidException {
    List<String> lines = lines(body);
    String version = null;
    StsPolicy.Mode mode = null;
    Long maxAge = null;
    List<String> mx = new ArrayList<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new PolicyInvalidException("not a \"key: value\" line: " + quote(line));
      }
      String key = line.substring(0, colon);
      // sts-policy-field-delim = ":" *WSP; the value may be followed by *WSP before the line's end
      String value = TagRecord.stripWsp(line.substring(colon + 1));
      switch (key) {
        case "version" -> {
          once(version, key);
          if (!value.equals("STSv1")) {
            throw new PolicyInvalidException("version is not STSv1: " + quote(value));
          }
          version = value;
        }
        case "mode" -> {
          once(mode, key);
          mode = mode(value);
        }
        case "max_age" -> {
          once(maxAge, key);
          maxAge = maxAge(value);
        }
        case "mx" -> {
          if (!MX.matcher(value).matches() || value.length() > 255) {
            throw new PolicyInvalidException("mx is not a host name or *.domain pattern: " + quote(value));
          }
          mx.add(value);
        }
        default -> {
          if (!EXT_NAME.matcher(key).matches() || !EXT_VALUE.matcher(value).matches()) {
            throw new PolicyInvalidException("malformed line: " + quote(line));
          }
        }
      }
    }
    if (version == null || mode == null || maxAge == null) {
      throw new PolicyInvalidException("version, mode and max_age are required");
    }
    if (mx.isEmpty() && mode != StsPolicy.Mode.NONE) {
      throw new PolicyInvalidException("a policy in mode " + mode.name().toLowerCase() + " needs at least one mx");
    }
    return new Parsed(new StsPolicy(mode, mx, maxAge, id, fetched), List.copyOf(lines));
  }

  /**
   * Lines ended by LF or CRLF (§3.2's sts-policy-term); the last line's terminator is optional. A bare CR
   * stays in its line and makes it invalid. Blank lines are allowed only at the end.
   */
  static List<String> lines(String body) throws PolicyInvalidException {
    List<String> lines = new ArrayList<>();
    for (String raw : body.split("\n", -1)) {
      lines.add(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new PolicyInvalidException("empty policy");
    }
    for (String line : lines) {
      if (line.isEmpty()) {
        throw new PolicyInvalidException("a blank line inside the policy");
      }
    }
    return lines;
  }

  private static StsPolicy.Mode mode(String value) throws PolicyInvalidException {
    return switch (value) {
      case "enforce" -> StsPolicy.Mode.ENFORCE;
      case "testing" -> StsPolicy.Mode.TESTING;
      case "none" -> StsPolicy.Mode.NONE;
      default -> throw new PolicyInvalidException("mode is not enforce, testing or none: " + quote(value));
    };
  }

  private static long maxAge(String value) throws PolicyInvalidException {
    if (!MAX_AGE.matcher(value).matches()) {
      throw new PolicyInvalidException("max_age is not 1 to 10 digits: " + quote(value));
    }
    long seconds = Long.parseLong(value);
    if (seconds > MAX_AGE_LIMIT) {
      throw new PolicyInvalidException("max_age is over " + MAX_AGE_LIMIT + ": " + seconds);
    }
    return seconds;
  }

  private static void once(Object seen, String key) throws PolicyInvalidException {
    if (seen != null) {
      throw new PolicyInvalidException(key + " appears more than once");
    }
  }

  private static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + shown.replace("\r", "\\r").replace("\t", "\\t") + "\"";
  }
}
