package io.hermod.tlspolicy;

/** The failure result types of RFC 8460 §4.3 (TLS-RPT), as the report's "result-type" names them. */
public enum TlsResultType {
  // §4.3.1 negotiation failures
  STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
  CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
  CERTIFICATE_EXPIRED("certificate-expired"),
  CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
  VALIDATION_FAILURE("validation-failure"),
  // §4.3.2 policy failures: DANE
  TLSA_INVALID("tlsa-invalid"),
  DNSSEC_INVALID("dnssec-invalid"),
  DANE_REQUIRED("dane-required"),
  // §4.3.2.2 policy failures: MTA-STS
  STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
  STS_POLICY_INVALID("sts-policy-invalid"),
  STS_WEBPKI_INVALID("sts-webpki-invalid");

  private final String label;

  TlsResultType(String label) {
    this.label = label;
  }

  /** The RFC 8460 name, e.g. "certificate-expired". */
  public String label() {
    return label;
  }
}
