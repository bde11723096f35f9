package io.hermod.tlspolicy.sts;

/** A fetched policy body that is not a valid RFC 8461 §3.2 policy (TLS-RPT sts-policy-invalid). */
public final class PolicyInvalidException extends Exception {

  private static final long serialVersionUID = 1L;

  public PolicyInvalidException(String message) {
    super(message);
  }
}
