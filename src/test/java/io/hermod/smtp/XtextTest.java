package io.hermod.smtp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class XtextTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc      | abc",
      "a+2Bb    | a+b",
      "a+3Db    | a=b",
      "+20x     | ' x'",
      "+C3+A9   | é",
  })
  void decodes(String in, String out) {
    assertEquals(out, Xtext.decode(in));
    assertEquals(in, Xtext.encode(out));
  }

  /** Found by XtextFuzzTest: chars above U+00FF lost their high byte, and octets were not read as UTF-8. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "caf\u00e9         | caf+C3+A9",
      "\ufffd            | +EF+BF+BD",
      "\u20ac+\ud83d\udce7 | +E2+82+AC+2B+F0+9F+93+A7",
  })
  void nonAsciiGoesAsUtf8Octets(String text, String xtext) {
    assertEquals(xtext, Xtext.encode(text));
    assertEquals(text, Xtext.decode(xtext));
  }

  @ParameterizedTest
  @CsvSource({"a+", "a+2", "a+2b", "a+GG", "a=b", "'a b'", "+FF", "+C3", "+C3+28"})
  void refusesInvalid(String in) {
    assertNull(Xtext.decode(in));
  }
}
