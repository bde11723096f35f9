package io.hermod.smtp;

/** MAIL FROM RET= parameter (RFC 3461 §4.3): what a DSN returns of the original message. */
public enum DsnRet {
  FULL,
  HDRS
}
