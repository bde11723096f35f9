package io.hermod.smtp;

/** The peer broke the SMTP syntax (malformed or oversized reply); the connection cannot be trusted further. */
public class SmtpProtocolException extends Exception {

  public SmtpProtocolException(String message) {
    super(message);
  }
}
