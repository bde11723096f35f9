package io.hermod.shaping;

import io.hermod.smtp.ServerReply;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Bounce classification rules, in order (docs/delivery.md "Bounce classification"): each rule names a
 * {@link BounceClass} for replies whose enhanced status code matches its status pattern and in whose line
 * {@code "<code> <status> <text>"} its regular expression is found (case-insensitive for ASCII letters); a rule has either or
 * both. The first rule that matches wins. When none does, the status's class and subject decide (RFC 3463
 * §3), then the reply code's class. Immutable and pure; thread-safe.
 */
public final class BounceRules {

  /** The rules Hermod ships, a classpath resource. */
  public static final String SHIPPED_RESOURCE = "/io/hermod/shaping/bounce-rules.json";
  /** Replies are cut here before matching, which bounds the work per reply (a DSN keeps as much). */
  static final int MAX_LINE = 2000;

  private static final Pattern STATUS_PART = Pattern.compile("\\d{1,3}|[xX]");
  private static final Set<String> FILE_KEYS = Set.of("rules", "note");
  private static final Set<String> RULE_KEYS = Set.of("label", "status", "regex", "note");

  private final List<Rule> rules;

  private BounceRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No rules: only the fallback by status and code. */
  public static BounceRules none() {
    return new BounceRules(List.of());
  }

  /** The shipped rules ({@link #SHIPPED_RESOURCE}); parsed once. */
  public static BounceRules shipped() {
    return Shipped.RULES;
  }

  /**
   * Parses a rule file: {@code {"rules": [{"label", "status"?, "regex"?, "note"?}, ...], "note"?}}.
   *
   * @throws IllegalArgumentException one line naming what is wrong and where ("rules[3].regex: ...")
   */
  public static BounceRules parse(String json) {
    JsonObject file;
    try {
      file = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
    }
    onlyKeys(file, FILE_KEYS, "", "a rule file has \"rules\" and \"note\"");
    if (!(file.getValue("rules") instanceof JsonArray array)) {
      throw new IllegalArgumentException("rules: must be a list of rules");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      rules.add(rule(array.getValue(i), "rules[" + i + "]"));
    }
    return new BounceRules(rules);
  }

  /** These rules, then {@code later}'s (an operator's file before the shipped rules). */
  public BounceRules then(BounceRules later) {
    List<Rule> all = new ArrayList<>(rules);
    all.addAll(later.rules);
    return new BounceRules(all);
  }

  public int size() {
    return rules.size();
  }

  /** The class of a deferral or failure with this reply code, enhanced status (may be null) and text. */
  public BounceClass classify(int code, String status, String text) {
    return classify(Reply.of(code, status, text));
  }

  BounceClass classify(Reply reply) {
    String[] parts = reply.parts();
    String lower = RegexLiterals.lower(reply.line());
    for (Rule rule : rules) {
      if (rule.matches(parts, reply.line(), lower)) {
        return rule.label();
      }
    }
    return fallback(reply.code(), parts);
  }

  /**
   * No rule matched. The status's class and subject (RFC 3463 §3.1-§3.8): X.5 protocol and X.7 security or
   * policy in both classes; in class 5 also X.1 addressing (the recipient's, since the sender's details have
   * rules), X.2 mailbox, X.3 mail system, X.4 network and routing, X.6 content. Then the reply code: a 4xx is a
   * transient failure, anything else uncategorized.
   */
  private static BounceClass fallback(int code, String[] parts) {
    if (parts != null) {
      String classAndSubject = parts[0] + "." + parts[1];
      switch (classAndSubject) {
        case "5.1":
          return BounceClass.INVALID_RECIPIENT;
        case "5.2":
          return BounceClass.INACTIVE_MAILBOX;
        case "5.3":
          return BounceClass.BAD_CONFIGURATION;
        case "5.4":
          return BounceClass.ROUTING_ERRORS;
        case "4.5":
        case "5.5":
          return BounceClass.PROTOCOL_ERRORS;
        case "5.6":
          return BounceClass.CONTENT_RELATED;
        case "4.7":
        case "5.7":
          return BounceClass.POLICY_RELATED;
        default:
          break;
      }
    }
    return code / 100 == 4 ? BounceClass.TRANSIENT_FAILURE : BounceClass.UNCATEGORIZED;
  }

  /**
   * A reply as rules see it.
   *
   * @param code   the reply code
   * @param status the enhanced status code if it is RFC 3463 shaped, else the code's class with .0.0 (RFC 3463
   *               §3.1), null for a code outside 2xx, 4xx and 5xx
   * @param line   {@code "<code> <status> <text>"} (without the status when null), each run of spaces and control
   *               characters as one space, at most {@link #MAX_LINE} characters
   */
  record Reply(int code, String status, String line) {

    static Reply of(int code, String status, String text) {
      // Like the delivery reports (docs/delivery.md): no enhanced status stands for the code's class with .0.0.
      int cls = code / 100;
      String valid = ServerReply.isEnhancedStatus(status) ? status
          : cls == 2 || cls == 4 || cls == 5 ? cls + ".0.0" : null;
      StringBuilder line = new StringBuilder().append(code).append(' ');
      if (valid != null) {
        line.append(valid).append(' ');
      }
      if (text != null) {
        for (int i = 0; i < text.length() && line.length() < MAX_LINE; i++) {
          char c = text.charAt(i);
          boolean space = c == ' ' || Character.isISOControl(c);
          if (!space || line.charAt(line.length() - 1) != ' ') {
            line.append(space ? ' ' : c);
          }
        }
      }
      return new Reply(code, valid, line.toString());
    }

    /** The status's three numbers without leading zeros, or null. */
    String[] parts() {
      if (status == null) {
        return null;
      }
      String[] parts = status.split("\\.");
      for (int i = 0; i < parts.length; i++) {
        parts[i] = String.valueOf(Integer.parseInt(parts[i]));
      }
      return parts;
    }
  }

  /**
   * One rule: {@code label} when {@code status} (null = any) and {@code regex} (null = any) both match;
   * {@code literals} are the regex's pre-check ({@link RegexLiterals}, null = none).
   */
  private record Rule(BounceClass label, String[] status, Pattern regex, List<String> literals) {

    /**
     * @param parts the reply's status as from {@link Reply#parts()}
     * @param lower the line with ASCII letters in lower case, for the pre-check
     */
    boolean matches(String[] parts, String line, String lower) {
      if (status != null) {
        if (parts == null) {
          return false;
        }
        for (int i = 0; i < status.length; i++) {
          if (!status[i].equals("x") && !status[i].equals(parts[i])) {
            return false;
          }
        }
      }
      return regex == null || RegexLiterals.mayMatch(literals, lower) && regex.matcher(line).find();
    }
  }

  private static Rule rule(Object value, String where) {
    if (!(value instanceof JsonObject o)) {
      throw new IllegalArgumentException(where + ": must be an object {\"label\", \"status\", \"regex\", \"note\"}");
    }
    onlyKeys(o, RULE_KEYS, where + ".", "a rule has \"label\", \"status\", \"regex\" and \"note\"");
    Object label = o.getValue("label");
    BounceClass bounceClass = label instanceof String s ? BounceClass.ofLabel(s) : null;
    if (bounceClass == null) {
      throw new IllegalArgumentException(where + ".label: must be one of " + Arrays.stream(BounceClass.values())
          .map(BounceClass::label).collect(Collectors.joining(", ")) + " (got " + show(label) + ")");
    }
    String[] status = o.containsKey("status") ? status(o.getValue("status"), where + ".status") : null;
    Pattern regex = o.containsKey("regex") ? regex(o.getValue("regex"), where + ".regex") : null;
    if (status == null && regex == null) {
      throw new IllegalArgumentException(where + ": needs a \"status\" or a \"regex\" (or both)");
    }
    if (o.containsKey("note") && !(o.getValue("note") instanceof String)) {
      throw new IllegalArgumentException(where + ".note: must be a string (got " + show(o.getValue("note")) + ")");
    }
    return new Rule(bounceClass, status, regex, regex == null ? null : RegexLiterals.of(regex.pattern()));
  }

  /** "5", "5.1", "5.1.1", "x.4.7": one to three parts, each a number or x; the class 2, 4, 5 or x. */
  private static String[] status(Object value, String where) {
    String[] parts = value instanceof String s ? s.split("\\.", -1) : new String[0];
    boolean ok = parts.length >= 1 && parts.length <= 3
        && Arrays.stream(parts).allMatch(p -> STATUS_PART.matcher(p).matches())
        && parts[0].matches("[245xX]");
    if (!ok) {
      throw new IllegalArgumentException(where + ": must be an enhanced status code or a prefix of one, each part "
          + "a number or x, e.g. \"5\", \"5.1\", \"5.1.1\", \"x.4.7\" (got " + show(value) + ")");
    }
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].equalsIgnoreCase("x") ? "x" : String.valueOf(Integer.parseInt(parts[i]));
    }
    return parts;
  }

  private static Pattern regex(Object value, String where) {
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException(where + ": must be a non-empty string (got " + show(value) + ")");
    }
    try {
      return Pattern.compile(s, Pattern.CASE_INSENSITIVE); // ASCII letters: replies are ASCII but for SMTPUTF8
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(where + ": not a valid regular expression: " + e.getDescription()
          + " near index " + e.getIndex() + " (got " + show(s) + ")");
    }
  }

  private static void onlyKeys(JsonObject o, Set<String> allowed, String prefix, String hint) {
    Set<String> unknown = new TreeSet<>(o.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(prefix + unknown.iterator().next() + ": unknown key (" + hint + ")");
    }
  }

  private static String show(Object value) {
    String text = value == null ? "null" : value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /** The shipped rules, read on first use; a broken resource is a build error, never an operator's. */
  private static final class Shipped {
    static final BounceRules RULES = load();

    private static BounceRules load() {
      try (InputStream in = BounceRules.class.getResourceAsStream(SHIPPED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + SHIPPED_RESOURCE);
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(SHIPPED_RESOURCE + ": " + e.getMessage(), e);
      }
    }
  }
}
