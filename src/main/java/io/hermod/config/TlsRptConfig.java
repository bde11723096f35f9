package io.hermod.config;

/**
 * TLS reporting, RFC 8460 ("outboundTls.tlsRpt").
 *
 * @param enabled count TLS sessions per policy domain and send daily reports ("outboundTls.tlsRpt.enabled")
 */
public record TlsRptConfig(boolean enabled) {
}
