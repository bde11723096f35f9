package io.hermod.tlspolicy.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hermod.tlspolicy.StsPolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8461 §3.2: the policy body, strictly; table-driven, no sockets. */
class StsPolicyParserTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static StsPolicyParser.Parsed parse(String body) throws PolicyInvalidException {
    return StsPolicyParser.parse(body, "id1", NOW);
  }

  @Test
  void enforceWithCrlfAndSeveralMx() throws Exception {
    StsPolicyParser.Parsed p = parse(
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n");
    assertEquals(new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("mail.example.com", "*.example.net"), 604800, "id1",
        NOW), p.policy());
    assertEquals(List.of("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net",
        "max_age: 604800"), p.lines());
  }

  @Test
  void testingWithLfAndNoFinalNewlineAndAnyOrder() throws Exception {
    StsPolicy p = parse("mode: testing\nmx: mx.example.org\nmax_age:86400\nversion: STSv1").policy();
    assertEquals(StsPolicy.Mode.TESTING, p.mode());
    assertEquals(86400, p.maxAge());
  }

  @Test
  void noneNeedsNoMxAndUnknownKeysAreIgnored() throws Exception {
    StsPolicy p = parse("version: STSv1\nmode: none\nmax_age: 0\nfuture_key: some value\nx.y-z_1: v\n").policy();
    assertEquals(StsPolicy.Mode.NONE, p.mode());
    assertEquals(List.of(), p.mx());
    assertEquals(0, p.maxAge());
  }

  @Test
  void maxAgeUpToOneYear() throws Exception {
    assertEquals(31_557_600, parse("version: STSv1\nmode: none\nmax_age: 31557600\n").policy().maxAge());
    assertThrows(PolicyInvalidException.class, () -> parse("version: STSv1\nmode: none\nmax_age: 31557601\n"));
  }

  @Test
  void trailingWhitespaceAfterAValueIsAllowed() throws Exception {
    assertEquals(StsPolicy.Mode.ENFORCE, parse("version: STSv1 \nmode:\tenforce\t\nmx: a.example \nmax_age: 5\n")
        .policy().mode());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "\n",
      "mode: enforce\nmx: a.example\nmax_age: 5\n",                          // no version
      "version: STSv1\nmx: a.example\nmax_age: 5\n",                         // no mode
      "version: STSv1\nmode: enforce\nmx: a.example\n",                      // no max_age
      "version: STSv1\nmode: enforce\nmax_age: 5\n",                         // enforce without mx
      "version: STSv1\nmode: testing\nmax_age: 5\n",                         // testing without mx
      "version: STSv2\nmode: none\nmax_age: 5\n",
      "version: stsv1\nmode: none\nmax_age: 5\n",                            // case-sensitive
      "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 5\n",
      "version: STSv1\nmode: report\nmx: a.example\nmax_age: 5\n",
      "version: STSv1\nmode: none\nmax_age: -1\n",
      "version: STSv1\nmode: none\nmax_age: 12345678901\n",                  // 11 digits
      "version: STSv1\nmode: none\nmax_age: 1e3\n",
      "version: STSv1\nversion: STSv1\nmode: none\nmax_age: 5\n",            // twice
      "version: STSv1\nmode: none\nmode: none\nmax_age: 5\n",
      "version: STSv1\nmode: none\nmax_age: 5\nmax_age: 5\n",
      "version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 5\n",        // bad pattern
      "version: STSv1\nmode: enforce\nmx: mail..example\nmax_age: 5\n",
      "version: STSv1\nmode: enforce\nmx: a.example:25\nmax_age: 5\n",
      "version: STSv1\nmode: enforce\nmx: \nmax_age: 5\n",
      "version: STSv1\rmode: none\rmax_age: 5\r",                           // bare CR is no line end
      "version: STSv1\nmode: none\n\nmax_age: 5\n",                          // blank line inside
      "version: STSv1\nmode: none\nmax_age: 5\njust text\n",                 // not key: value
      "version: STSv1\nmode: none\nmax_age: 5\n: value\n",
      "version: STSv1\nmode: none\nmax_age: 5\nbad key: v\n",
      "version: STSv1\nmode: none\nmax_age: 5\nkey: a=b\n",                  // '=' not allowed in a value
      "version: STSv1\nmode: none\nmax_age: 5\nkey: caf\u00e9\n",            // not ASCII
      "Version: STSv1\nmode: none\nmax_age: 5\n",
  })
  void invalid(String body) {
    assertThrows(PolicyInvalidException.class, () -> parse(body), body);
  }
}
