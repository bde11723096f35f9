package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fuzzes RFC 3461 xtext (ENVID, ORCPT). Seeds: the xtext values of the DSN dialogue and of XtextTest. */
class XtextFuzzTest {

  /** Any text: decode never throws, and what it accepts was valid xtext and re-encodes to valid xtext. */
  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    String decoded = Xtext.decode(text);
    if (decoded != null) {
      assertEquals(decoded, Xtext.decode(Xtext.encode(decoded)), "decode(encode(decode(s)))");
    }
  }

  /** Any string: encode gives printable ASCII only, and decode gives the string back. */
  @FuzzTest(maxDuration = "60s")
  void encodeDecode(byte[] data) {
    String value = new String(data, StandardCharsets.UTF_8);
    String encoded = Xtext.encode(value);
    assertTrue(encoded.chars().allMatch(c -> c >= 33 && c <= 126), () -> "not xtext: " + encoded);
    String back = Xtext.decode(encoded);
    assertNotNull(back, () -> "encode gave invalid xtext: " + encoded);
    assertEquals(value, back, "decode(encode(s))");
  }
}
