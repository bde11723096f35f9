package io.hermod.config;

/**
 * DANE for SMTP, RFC 7672 ("outboundTls.dane").
 *
 * @param enabled look up TLSA records of MX hosts through a DNSSEC-validating resolver ("outboundTls.dane.enabled")
 */
public record DaneConfig(boolean enabled) {
}
