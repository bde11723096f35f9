/**
 * DANE for SMTP (RFC 7672, RFC 6698, RFC 7671; docs/security.md "DANE"). {@link io.hermod.tlspolicy.dane.DaneLookups}
 * asks a DNSSEC-validating resolver (dnsjava's ValidatingResolver over the configured resolvers, or their AD bit when
 * the operator trusts it) whether an MX host's address records are secure and for its TLSA records, and caches the
 * answer; {@link io.hermod.tlspolicy.dane.DanePeerCheck} matches the chain an MX host presents against those records.
 * Only DANE's questions go through validation: mail routing resolves as before.
 */
package io.hermod.tlspolicy.dane;
