package io.hermod.dkim;

import java.util.Locale;

/**
 * One header field as it appears in the message, folding included, without the final CRLF.
 *
 * @param name the field name as written
 * @param raw  the whole field, "Name: value" with any CRLF+WSP folds
 */
public record HeaderField(String name, String raw) {

  /** RFC 6376 §3.4.2 relaxed header canonicalization, with the trailing CRLF. */
  public String relaxed() {
    int colon = raw.indexOf(':');
    String value = raw.substring(colon + 1)
        .replace("\r\n", "")
        .replaceAll("[ \t]+", " ")
        .strip();
    return name.toLowerCase(Locale.ROOT).strip() + ":" + value + "\r\n";
  }

  /** The value (after the colon), unfolded; for reading From. */
  public String value() {
    return raw.substring(raw.indexOf(':') + 1).replace("\r\n", "").strip();
  }
}
