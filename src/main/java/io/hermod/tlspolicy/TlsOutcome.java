package io.hermod.tlspolicy;

/**
 * The result of one TLS attempt with one MX host under a policy (RFC 8460 §4.4 counts these per policy domain).
 *
 * @param policy      the policy that applied
 * @param mxHost      the MX host name
 * @param address     the address connected to, or null
 * @param failure     null for a successful session, else why it failed
 * @param detail      a short human text for logs and the report's "additional-information", or null
 */
public record TlsOutcome(HostTlsPolicy policy, String mxHost, String address, TlsResultType failure, String detail) {

  public boolean succeeded() {
    return failure == null;
  }
}
