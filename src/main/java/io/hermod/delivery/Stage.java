package io.hermod.delivery;

/** Where an outbound session stood when something happened; carried by {@link SmtpClientException}. */
public enum Stage {
  CONNECT,
  GREETING,
  EHLO,
  HELO,
  STARTTLS,
  TLS_HANDSHAKE,
  MAIL,
  RCPT,
  DATA,
  /** Sending the message body (DATA or BDAT). */
  DATA_BLOCK,
  /** Waiting for the reply to the end of data or the last BDAT. */
  DATA_END,
  RSET,
  QUIT
}
