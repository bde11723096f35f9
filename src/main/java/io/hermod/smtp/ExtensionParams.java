package io.hermod.smtp;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * Drops MAIL/RCPT parameters whose extension the server did not advertise, so that a relay does not fail a
 * message with "555 parameter not recognised" (RFC 5321 §4.1.1.11): BODY needs 8BITMIME (RFC 6152; the
 * body goes as is, as Postfix does), SMTPUTF8 needs SMTPUTF8 (the caller checks it is not required first),
 * RET/ENVID/NOTIFY/ORCPT need DSN (RFC 3461 §4: the caller owes a "relayed" DSN instead), REQUIRETLS needs
 * REQUIRETLS (RFC 8689 §4.2.1: the caller fails the message first, see {@link #requiresTls}). Parameters of
 * unknown extensions are kept: the caller asked for them.
 */
public final class ExtensionParams {

  private ExtensionParams() {
  }

  public static String forMail(String params, EhloCapabilities caps) {
    return filter(params, caps);
  }

  public static String forRcpt(String params, EhloCapabilities caps) {
    return filter(params, caps);
  }

  /** True when MAIL's parameters carry REQUIRETLS (RFC 8689 §2). */
  public static boolean requiresTls(String params) {
    if (params == null || params.isBlank()) {
      return false;
    }
    for (String p : params.strip().split("\\s+")) {
      if (keyOf(p).equals("REQUIRETLS")) {
        return true;
      }
    }
    return false;
  }

  private static String filter(String params, EhloCapabilities caps) {
    if (params == null || params.isBlank()) {
      return "";
    }
    StringJoiner kept = new StringJoiner(" ");
    for (String p : params.strip().split("\\s+")) {
      if (supported(keyOf(p), caps)) {
        kept.add(p);
      }
    }
    return kept.toString();
  }

  private static String keyOf(String param) {
    int eq = param.indexOf('=');
    return (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
  }

  private static boolean supported(String key, EhloCapabilities caps) {
    switch (key) {
      case "BODY":
        return caps.eightBitMime();
      case "SMTPUTF8":
        return caps.smtpUtf8();
      case "RET":
      case "ENVID":
      case "NOTIFY":
      case "ORCPT":
        return caps.dsn();
      case "AUTH":
        return caps.has("AUTH"); // RFC 4954 §5: to a server that offers AUTH
      case "REQUIRETLS":
        return caps.has("REQUIRETLS");
      case "SIZE":
        return false; // the client adds SIZE itself from the transaction's size
      default:
        return true;
    }
  }
}
