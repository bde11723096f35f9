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

  @ParameterizedTest
  @CsvSource({"a+", "a+2", "a+2b", "a+GG", "a=b", "'a b'"})
  void refusesInvalid(String in) {
    assertNull(Xtext.decode(in));
  }
}
