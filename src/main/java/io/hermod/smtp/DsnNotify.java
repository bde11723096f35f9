package io.hermod.smtp;

/** RCPT TO NOTIFY= values (RFC 3461 §4.1). NEVER excludes the others. */
public enum DsnNotify {
  NEVER,
  SUCCESS,
  FAILURE,
  DELAY
}
