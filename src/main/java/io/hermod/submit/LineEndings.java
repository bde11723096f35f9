package io.hermod.submit;

import java.io.ByteArrayOutputStream;

/**
 * The line-ending rule for injected messages. SMTP content ends lines with CRLF only; a bare CR or LF is the
 * raw material of SMTP smuggling (CVE-2023-51764), so the listener refuses it. Applications on the bus often
 * hold text with Unix line ends, so one unambiguous case is converted: text with no CR at all has every LF
 * turned into CRLF. Anything mixed (a CR anywhere, plus a bare CR or LF) is refused, never guessed at.
 */
final class LineEndings {

  private LineEndings() {
  }

  /**
   * @return the content with CRLF line ends, ending with CRLF (RFC 5321 §4.1.1.4: the data before the final
   *     "." ends with CRLF; an unterminated last line gets one)
   * @throws SubmitRefused when CR and LF are mixed in any other way than CRLF pairs
   */
  static byte[] toCrlf(byte[] content) {
    boolean hasCr = false;
    for (byte b : content) {
      if (b == '\r') {
        hasCr = true;
        break;
      }
    }
    byte[] crlf = hasCr ? checkCrlf(content) : lfToCrlf(content);
    if (crlf.length >= 2 && crlf[crlf.length - 2] == '\r' && crlf[crlf.length - 1] == '\n') {
      return crlf;
    }
    byte[] terminated = java.util.Arrays.copyOf(crlf, crlf.length + 2);
    terminated[crlf.length] = '\r';
    terminated[crlf.length + 1] = '\n';
    return terminated;
  }

  private static byte[] checkCrlf(byte[] content) {
    for (int i = 0; i < content.length; i++) {
      boolean crWithoutLf = content[i] == '\r' && (i + 1 == content.length || content[i + 1] != '\n');
      boolean lfWithoutCr = content[i] == '\n' && (i == 0 || content[i - 1] != '\r');
      if (crWithoutLf || lfWithoutCr) {
        throw SubmitRefused.badRequest("bare CR or LF at offset " + i + ": lines must end with CRLF"
            + " (or, in text without any CR, with LF only)");
      }
    }
    return content;
  }

  private static byte[] lfToCrlf(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 32 + 2);
    for (byte b : content) {
      if (b == '\n') {
        out.write('\r');
      }
      out.write(b);
    }
    return out.toByteArray();
  }
}
