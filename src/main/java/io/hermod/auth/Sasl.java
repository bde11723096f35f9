package io.hermod.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The pure parts of SASL PLAIN (RFC 4616) and LOGIN (draft-murchison-sasl-login) as used in SMTP AUTH. */
public final class Sasl {

  /** The decoded PLAIN message: authorization identity (may be empty), user name, password. */
  public record Plain(String authzid, String user, String password) {
    /** We do not let one user act for another: the authorization identity is empty or the user itself. */
    public boolean authzidAcceptable() {
      return authzid.isEmpty() || authzid.equals(user);
    }
  }

  private Sasl() {
  }

  /** RFC 4954 §4: strict base64; null when it is not. "=" alone is an empty initial response. */
  public static byte[] decodeBase64(String text) {
    if (text.equals("=")) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static String encodeBase64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 4616 §2: [authzid] NUL authcid NUL passwd, in UTF-8; null when malformed. */
  public static Plain parsePlain(byte[] message) {
    int first = indexOf(message, 0);
    int second = first < 0 ? -1 : indexOf(message, first + 1);
    if (second < 0 || indexOf(message, second + 1) >= 0) {
      return null;
    }
    String authzid = utf8(message, 0, first);
    String user = utf8(message, first + 1, second);
    String password = utf8(message, second + 1, message.length);
    if (authzid == null || user == null || password == null || user.isEmpty() || password.isEmpty()) {
      return null;
    }
    return new Plain(authzid, user, password);
  }

  /** Strict UTF-8 of a whole decoded response; null when not UTF-8. */
  public static String utf8(byte[] bytes) {
    return utf8(bytes, 0, bytes.length);
  }

  private static String utf8(byte[] bytes, int from, int to) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
