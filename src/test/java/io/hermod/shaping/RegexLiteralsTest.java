package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pre-check of rule regexes: which literals it finds, and that it never skips a line the regex matches. */
class RegexLiteralsTest {

  static Stream<Arguments> regexes() {
    return Stream.of(
        Arguments.of("user unknown", List.of("user unknown")),
        Arguments.of("User Unknown", List.of("user unknown")),
        Arguments.of("over ?quota|quota (exceeded|full)", List.of("over", "quota ")),
        Arguments.of("\\[tss?0[1-9]\\]", List.of("[ts")),
        Arguments.of("\\b(dmarc|spf|dkim)\\b|unauthenticated", List.of("dmarc", "spf", "dkim", "unauthenticated")),
        Arguments.of("(?:ab|cd)e|f\\.g", List.of("ab", "cd", "f.g")),
        Arguments.of("^550 .*no mailbox", List.of("550 ")),
        Arguments.of("recipient address rejected: (?!access denied)", List.of("recipient address rejected: ")),
        Arguments.of("fails? (to pass )?authentication", List.of("fail")),
        Arguments.of("(?i)abc", null),
        Arguments.of("abc(?-i)def", null),
        Arguments.of("a|", null),
        Arguments.of(".*abc", null),
        Arguments.of("(abc)?def", null),
        Arguments.of("(?!x)abc", null),
        Arguments.of("(?<name>abc)", null),
        Arguments.of("\\d{3} abc", null),
        Arguments.of("^\\d{3} [45]\\.7\\.(8|2[0-6]) ", null),
        Arguments.of("[ab]c", null),
        Arguments.of("q[a[|]]z|zz", List.of("q", "zz")),
        Arguments.of("(a[)|]b)c|d", List.of("a", "d")),
        Arguments.of("\\Qa.b\\E", null),
        Arguments.of("\\Bab", null),
        Arguments.of("\u00e9t\u00e9", null),
        Arguments.of("a*bc", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regexes")
  void literalsOfARegex(String regex, List<String> expected) {
    assertEquals(expected, RegexLiterals.of(regex));
  }

  /**
   * Every shipped regex and every regex above, over every reply of the classifier's table in its own case, in
   * upper and in lower case: where the regex finds a match, the pre-check lets the line through.
   */
  @Test
  void thePreCheckNeverSkipsAMatch() throws Exception {
    List<String> regexes = new ArrayList<>(regexes().map(a -> (String) a.get()[0]).toList());
    try (InputStream in = BounceRules.class.getResourceAsStream(BounceRules.SHIPPED_RESOURCE)) {
      JsonArray rules = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("rules");
      for (int i = 0; i < rules.size(); i++) {
        String regex = rules.getJsonObject(i).getString("regex");
        if (regex != null) {
          regexes.add(regex);
        }
      }
    }
    List<String> lines = new ArrayList<>();
    BounceClassifierTest.replies().forEach(a -> {
      Object[] r = a.get();
      String line = BounceRules.Reply.of((Integer) r[0], (String) r[1], (String) r[2]).line();
      lines.addAll(Arrays.asList(line, line.toUpperCase(Locale.ROOT), line.toLowerCase(Locale.ROOT)));
    });
    lines.addAll(List.of("abcdef", "ABDEF", "x F.G y", "550 No Mailbox here", "fail authentication", "DKIM", "q|",
        "a|c", "a)c", "d"));
    int matched = 0;
    for (String regex : regexes) {
      Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
      List<String> literals = RegexLiterals.of(regex);
      for (String line : lines) {
        if (p.matcher(line).find()) {
          matched++;
          assertTrue(RegexLiterals.mayMatch(literals, RegexLiterals.lower(line)),
              "the pre-check " + literals + " skipped a line /" + regex + "/ matches: " + line);
        }
      }
    }
    assertTrue(matched > 200, "matches checked: " + matched);
  }
}
