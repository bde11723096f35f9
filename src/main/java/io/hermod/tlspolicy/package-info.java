/**
 * Outbound transport security policy (docs/security.md "Outbound TLS"): which TLS a delivery to one MX host
 * must achieve and why. Levels configured per destination ({@link TlsLevel}, Postfix's names), MTA-STS
 * (RFC 8461) and DANE (RFC 7672) policies that raise them, and the outcome of each TLS session for TLS-RPT
 * (RFC 8460). The router plans a {@link HostTlsPolicy} per MX host into each delivery job; the delivery client
 * enforces it and reports a {@link TlsOutcome}.
 */
package io.hermod.tlspolicy;
