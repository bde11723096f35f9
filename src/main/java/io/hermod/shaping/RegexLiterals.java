package io.hermod.shaping;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cheap pre-check for a case-insensitive (ASCII) rule regex: the literal texts one of which starts every match,
 * so that a line containing none of them is skipped without running the regex. Java's regex engine tries every
 * alternative at every position of the line (a few hundred microseconds for the shipped rules over a Gmail
 * reply), while {@link String#contains} over a handful of literals costs a fraction of that. Conservative: when a
 * regex is not a plain alternation of branches that each start with a literal (or with a group of such
 * branches), there is no pre-check and the regex always runs. Pure.
 */
final class RegexLiterals {

  /** Inline flags ((?i), (?x:...)) change what the text means: no pre-check for such a regex. */
  private static final Pattern FLAGS = Pattern.compile("\\(\\?[a-zA-Z-]+[):]");
  private static final String META = ".[]()|^$\\?*+{}";

  private RegexLiterals() {
  }

  /**
   * Lower-case ASCII literals, one of which occurs in every line that {@code regex} (compiled with
   * CASE_INSENSITIVE, without UNICODE_CASE) finds a match in, lower-cased the same way; null when unknown.
   */
  static List<String> of(String regex) {
    if (FLAGS.matcher(regex).find() || regex.contains("\\Q")) {
      return null;
    }
    return alternatives(regex);
  }

  /** ASCII letters to lower case, everything else unchanged: the line as the literals are compared. */
  static String lower(String line) {
    char[] chars = line.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** True when {@code lowerLine} contains one of {@code literals} (null literals: always true). */
  static boolean mayMatch(List<String> literals, String lowerLine) {
    if (literals == null) {
      return true;
    }
    for (String literal : literals) {
      if (lowerLine.contains(literal)) {
        return true;
      }
    }
    return false;
  }

  /** The literals of every top-level branch of {@code regex}, or null if one branch has none. */
  private static List<String> alternatives(String regex) {
    List<String> out = new ArrayList<>();
    for (String branch : branches(regex)) {
      List<String> literals = leading(branch);
      if (literals == null) {
        return null;
      }
      out.addAll(literals);
    }
    return out;
  }

  /** Splits at the '|' outside groups and character classes. */
  private static List<String> branches(String regex) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int bar = find(regex, 0, '|'); bar >= 0; bar = find(regex, start, '|')) {
      out.add(regex.substring(start, bar));
      start = bar + 1;
    }
    out.add(regex.substring(start));
    return out;
  }

  /** The literals one of which starts every match of {@code branch}, or null. */
  private static List<String> leading(String branch) {
    int i = 0;
    while (branch.startsWith("^", i) || branch.startsWith("\\b", i)) {
      i += branch.charAt(i) == '^' ? 1 : 2; // zero-width: the match starts after them
    }
    if (branch.startsWith("(", i)) {
      boolean plain = !branch.startsWith("(?", i) || branch.startsWith("(?:", i);
      int close = find(branch, i + 1, ')');
      if (!plain || close < 0 || (close + 1 < branch.length() && "?*+{".indexOf(branch.charAt(close + 1)) >= 0)) {
        return null; // a lookaround, a named or optional group
      }
      return alternatives(branch.substring(i + (branch.startsWith("(?:", i) ? 3 : 1), close));
    }
    StringBuilder literal = new StringBuilder();
    while (i < branch.length()) {
      char c = branch.charAt(i);
      char next;
      int width;
      if (c == '\\' && i + 1 < branch.length() && !Character.isLetterOrDigit(branch.charAt(i + 1))) {
        next = branch.charAt(i + 1); // an escaped punctuation mark stands for itself
        width = 2;
      } else if (META.indexOf(c) < 0) {
        next = c;
        width = 1;
      } else {
        break;
      }
      if (i + width < branch.length() && "?*+{".indexOf(branch.charAt(i + width)) >= 0) {
        break; // this character is optional or repeated: the literal ends before it
      }
      if (next > 0x7f) {
        return null; // case folding beyond ASCII is not ours to guess
      }
      literal.append(next >= 'A' && next <= 'Z' ? (char) (next + ('a' - 'A')) : next);
      i += width;
    }
    return literal.length() == 0 ? null : List.of(literal.toString());
  }

  /**
   * The index of the first {@code c} from {@code from} on that is outside escapes, character classes and the
   * groups opened after {@code from}, or -1: the next top-level '|', or with ')' the end of the group.
   */
  private static int find(String s, int from, char c) {
    int depth = 0;
    int classDepth = 0; // Java's character classes nest: [a-z&&[^aeiou]]
    for (int i = from; i < s.length(); i++) {
      char x = s.charAt(i);
      if (x == '\\') {
        i++;
      } else if (x == '[') {
        classDepth++;
      } else if (classDepth > 0) {
        classDepth -= x == ']' ? 1 : 0;
      } else if (x == c && depth == 0) {
        return i;
      } else if (x == '(') {
        depth++;
      } else if (x == ')') {
        depth--;
      }
    }
    return -1;
  }
}
