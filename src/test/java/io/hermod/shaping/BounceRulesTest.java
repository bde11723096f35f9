package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule files: their syntax, status patterns, order, the operator's file before the shipped one, and errors. */
class BounceRulesTest {

  @TempDir
  Path temp;

  @Test
  void theShippedFileParses() {
    assertTrue(BounceRules.shipped().size() > 30, "rules: " + BounceRules.shipped().size());
  }

  @Test
  void statusPatternsMatchWholePartsAndXMatchesAny() {
    BounceRules rules = BounceRules.parse("""
        {"rules": [
          {"label": "BadDomain", "status": "5.1.10"},
          {"label": "InvalidRecipient", "status": "5.1.1"},
          {"label": "MessageExpired", "status": "X.4.7"},
          {"label": "SpamBlock", "status": "4.7"},
          {"label": "QuotaIssues", "status": "5"}
        ]}""");
    assertEquals(BounceClass.INVALID_RECIPIENT, rules.classify(550, "5.1.1", "x"));
    assertEquals(BounceClass.BAD_DOMAIN, rules.classify(550, "5.1.10", "x"), "5.1.1 is not a prefix of 5.1.10");
    assertEquals(BounceClass.MESSAGE_EXPIRED, rules.classify(451, "4.4.7", "x"));
    assertEquals(BounceClass.MESSAGE_EXPIRED, rules.classify(554, "5.4.7", "x"));
    assertEquals(BounceClass.SPAM_BLOCK, rules.classify(421, "4.7.28", "x"));
    assertEquals(BounceClass.QUOTA_ISSUES, rules.classify(554, "5.7.1", "x"));
    assertEquals(BounceClass.TRANSIENT_FAILURE, rules.classify(450, "4.2.1", "x"), "no rule: the fallback");
    assertEquals(BounceClass.INVALID_RECIPIENT, rules.classify(550, "5.01.001", "x"), "leading zeros");
  }

  @Test
  void aRegexIsSearchedCaseInsensitivelyInCodeStatusAndText() {
    BounceRules rules = BounceRules.parse("""
        {"rules": [
          {"label": "SpamBlock", "regex": "^421 4\\\\.7\\\\.0 \\\\[TS"},
          {"label": "PolicyRelated", "status": "5", "regex": "policy"},
          {"label": "TransientFailure", "regex": "POLICY"}
        ]}""");
    assertEquals(BounceClass.SPAM_BLOCK, rules.classify(421, "4.7.0", "[TS01] deferred"));
    assertEquals(BounceClass.POLICY_RELATED, rules.classify(554, "5.7.9", "not accepted for Policy reasons"));
    assertEquals(BounceClass.TRANSIENT_FAILURE, rules.classify(451, "4.7.9", "policy: later"),
        "the status and the regex must both match; then the next rule");
  }

  @Test
  void theOperatorsRulesComeFirstAndTheShippedOnesStillApply() throws Exception {
    Path file = temp.resolve("bounces.json");
    Files.writeString(file, """
        {"note": "ours",
         "rules": [{"label": "TransientFailure", "status": "5.7.1", "regex": "blocked using spamhaus",
                    "note": "we expect this to clear"}]}""");
    BounceClassifier c = BounceClassifier.load(file.toString());
    assertEquals(BounceClass.TRANSIENT_FAILURE, c.classify(550, "5.7.1", "Client host blocked using Spamhaus"));
    assertEquals(BounceClass.SPAM_BLOCK, c.classify(550, "5.7.1", "Client host blocked using Barracuda"));
    assertEquals(BounceClass.INVALID_RECIPIENT, c.classify(550, "5.1.1", "user unknown"));
  }

  @Test
  void aChangedFileIsReloadedAndABadOneKeepsTheRunningRules() throws Exception {
    Path file = temp.resolve("bounces.json");
    Files.writeString(file, "{\"rules\": [{\"label\": \"SpamBlock\", \"regex\": \"special\"}]}");
    BounceClassifier c = BounceClassifier.load(file.toString());
    assertEquals(BounceClass.SPAM_BLOCK, c.classify(451, "4.0.0", "special"));
    assertFalse(c.refresh(file.toString()), "unchanged");

    Files.writeString(file, "{\"rules\": [{\"label\": \"QuotaIssues\", \"regex\": \"special\"}]}");
    assertTrue(c.refresh(file.toString()));
    assertEquals(BounceClass.QUOTA_ISSUES, c.classify(451, "4.0.0", "special"), "not the cached answer");

    Files.writeString(file, "{\"rules\": [{\"label\": \"Nonsense\", \"regex\": \"special\"}]}");
    assertFalse(c.refresh(file.toString()));
    assertEquals(BounceClass.QUOTA_ISSUES, c.classify(451, "4.0.0", "special"));

    assertTrue(c.refresh(null), "back to the shipped rules");
    assertEquals(BounceClass.TRANSIENT_FAILURE, c.classify(451, "4.0.0", "special"));
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad("not json", "shaping.bounceRulesFile: FILE: not a JSON object: "),
        bad("[]", "shaping.bounceRulesFile: FILE: not a JSON object: "),
        bad("{}", "shaping.bounceRulesFile: FILE: rules: must be a list of rules"),
        bad("{\"rules\": [], \"rulez\": []}", "shaping.bounceRulesFile: FILE: rulez: unknown key"),
        bad("{\"rules\": [\"InvalidRecipient\"]}", "shaping.bounceRulesFile: FILE: rules[0]: must be an object"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"regex\": \"x\"}, {\"label\": \"Spam\", \"regex\": \"x\"}]}",
            "shaping.bounceRulesFile: FILE: rules[1].label: must be one of InvalidRecipient, BadDomain, "),
        bad("{\"rules\": [{\"regex\": \"x\"}]}", "shaping.bounceRulesFile: FILE: rules[0].label: must be one of "),
        bad("{\"rules\": [{\"label\": \"SpamBlock\"}]}",
            "shaping.bounceRulesFile: FILE: rules[0]: needs a \"status\" or a \"regex\" (or both)"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"regex\": \"(unclosed\"}]}",
            "shaping.bounceRulesFile: FILE: rules[0].regex: not a valid regular expression: Unclosed group"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"regex\": \"\"}]}",
            "shaping.bounceRulesFile: FILE: rules[0].regex: must be a non-empty string"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"status\": \"5.7.1.2\"}]}",
            "shaping.bounceRulesFile: FILE: rules[0].status: must be an enhanced status code or a prefix of one"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"status\": \"550\"}]}",
            "shaping.bounceRulesFile: FILE: rules[0].status: must be an enhanced status code"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"status\": \"3.1\"}]}",
            "shaping.bounceRulesFile: FILE: rules[0].status: must be an enhanced status code"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"status\": 5}]}",
            "shaping.bounceRulesFile: FILE: rules[0].status: must be an enhanced status code"),
        bad("{\"rules\": [{\"label\": \"SpamBlock\", \"status\": \"5\", \"labl\": 1}]}",
            "shaping.bounceRulesFile: FILE: rules[0].labl: unknown key"));
  }

  private static Arguments bad(String content, String messageStart) {
    return Arguments.of(content, messageStart);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void aBadFileStopsStartWithOneLineNamingTheKeyAndThePlace(String content, String messageStart) throws Exception {
    Path file = temp.resolve("bad.json");
    Files.writeString(file, content);
    ConfigException e = assertThrows(ConfigException.class, () -> BounceClassifier.load(file.toString()));
    String expected = "config: " + messageStart.replace("FILE", file.toString());
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertEquals(BounceClassifier.KEY, e.key());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    String missing = temp.resolve("nope.json").toString();
    ConfigException e = assertThrows(ConfigException.class, () -> BounceClassifier.load(missing));
    assertEquals("config: shaping.bounceRulesFile: cannot read " + missing + " (no such file)", e.getMessage());
    e = assertThrows(ConfigException.class, () -> BounceClassifier.load(temp.toString()));
    assertEquals("config: shaping.bounceRulesFile: cannot read " + temp + " (not a file)", e.getMessage());
  }
}
