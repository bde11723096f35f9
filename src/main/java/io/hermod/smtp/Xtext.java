package io.hermod.smtp;

/**
 * RFC 3461 §4: xtext = *( xchar / hexchar ); xchar is any printable ASCII but "+" and "="; hexchar is "+"
 * followed by two upper-case hex digits. Used by ENVID and ORCPT.
 */
public final class Xtext {

  private Xtext() {
  }

  /** @return the decoded text (octets read as UTF-8), or null when {@code s} is not valid xtext */
  public static String decode(String s) {
    java.io.ByteArrayOutputStream sb = new java.io.ByteArrayOutputStream(s.length());
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
        sb.write(hi << 4 | lo);
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return null;
      } else {
        sb.write(c);
      }
    }
    return sb.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Encodes the UTF-8 octets of {@code s}: printable ASCII but "+" and "=" as is, every other octet "+XX". */
  public static String encode(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 33 && c <= 126 && c != '+' && c != '=') {
        sb.append((char) c);
      } else {
        sb.append('+').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
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
