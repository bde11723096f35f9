package io.hermod.config;

/**
 * TLS reporting, RFC 8460 ("outboundTls.tlsRpt", docs/security.md "TLS-RPT").
 *
 * @param enabled          count TLS sessions per policy domain and send reports ("outboundTls.tlsRpt.enabled")
 * @param intervalSeconds  the length of one report period, aligned to the epoch (86400: one UTC day, §4.1)
 *                         ("outboundTls.tlsRpt.intervalSeconds")
 * @param organizationName the report's organization-name; null = the hostname ("outboundTls.tlsRpt.organizationName")
 * @param contactInfo      the report's contact-info; null = postmaster@hostname ("outboundTls.tlsRpt.contactInfo")
 * @param submitter        the submitter of §5.3's header fields; null = the hostname ("outboundTls.tlsRpt.submitter")
 * @param from             the sender (envelope and From:) of mailed reports; null = noreply-tlsrpt@hostname
 *                         ("outboundTls.tlsRpt.from")
 * @param maxPolicies      the most (policy domain, policy) pairs counted per period; sessions beyond are not
 *                         counted, and counted as dropped ("outboundTls.tlsRpt.maxPolicies")
 */
public record TlsRptConfig(boolean enabled, int intervalSeconds, String organizationName, String contactInfo,
                           String submitter, String from, int maxPolicies) {

  /** TLS-RPT off; the other values are the documented defaults. */
  public static TlsRptConfig disabled() {
    return new TlsRptConfig(false, 86_400, null, null, null, null, 10_000);
  }

  public String organizationName(String hostname) {
    return organizationName != null ? organizationName : hostname;
  }

  public String contactInfo(String hostname) {
    return contactInfo != null ? contactInfo : "postmaster@" + hostname;
  }

  public String submitter(String hostname) {
    return submitter != null ? submitter : hostname;
  }

  public String from(String hostname) {
    return from != null ? from : "noreply-tlsrpt@" + hostname;
  }
}
