package io.hermod.dns;

import java.net.SocketTimeoutException;

/** A question that reached its deadline (dns.timeoutMillis) unanswered; the message, from "timed out", says why. */
public final class DnsTimeoutException extends SocketTimeoutException {

  private static final long serialVersionUID = 1L;

  public DnsTimeoutException(String message) {
    super(message);
  }
}
