package io.hermod.tlspolicy.sts;

import io.hermod.tlspolicy.TlsResultType;

/** A policy that could not be fetched or used, with the TLS-RPT result type that reports it (RFC 8460 §4.3.2.2). */
public final class FetchFailure extends Exception {

  private static final long serialVersionUID = 1L;

  private final TlsResultType type;

  public FetchFailure(TlsResultType type, String message) {
    super(message);
    this.type = type;
  }

  public TlsResultType type() {
    return type;
  }
}
