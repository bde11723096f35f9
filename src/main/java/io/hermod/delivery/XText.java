package io.hermod.delivery;

import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 "xtext": printable ASCII except '+' and '=' as is, every other octet as "+XX". */
public final class XText {

  private XText() {
  }

  public static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= '!' && c <= '~' && c != '+' && c != '=') {
        out.append((char) c);
      } else {
        out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
