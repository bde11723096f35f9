package io.hermod.delivery;

/** How much of the original message a DSN carries in its third part (RFC 3462 §2, RFC 3461 §4.3 RET). */
public enum IncludeOriginal {
  /** No third part. */
  NONE,
  /** The original header section (text/rfc822-headers), already inside {@link DsnMessage#head()}. */
  HEADERS,
  /** The whole original (message/rfc822): the caller streams it between head and tail. */
  FULL
}
