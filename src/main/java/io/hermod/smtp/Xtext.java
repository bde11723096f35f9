package io.hermod.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3461 §4: xtext = *( xchar / hexchar ); xchar is any printable ASCII but "+" and "="; hexchar is "+"
 * followed by two upper-case hex digits. Used by ENVID and ORCPT. A hexchar stands for one octet; the
 * octets are read and written as UTF-8, as the DSN builder re-encodes them with {@link #encode}, so a value
 * is relayed as it came. (Found by XtextFuzzTest: encode() used to write the low byte of each char, so any
 * char above U+00FF did not survive a round trip, and "+C3+A9" decoded to "Ã©" rather than "é".)
 */
public final class Xtext {

  private Xtext() {
  }

  /** @return the decoded text, or null when {@code s} is not valid xtext or its octets are not UTF-8 */
  public static String decode(String s) {
    ByteArrayOutputStream octets = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        octets.write(hi << 4 | lo);
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return null;
      } else {
        octets.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  public static String encode(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 33 && c <= 126 && c != '+' && c != '=') {
        sb.append((char) c);
      } else {
        sb.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Upper-case hex only, as RFC 3461 §4 specifies. */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
