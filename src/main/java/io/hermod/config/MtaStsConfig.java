package io.hermod.config;

/**
 * MTA-STS, RFC 8461 ("outboundTls.mtaSts").
 *
 * @param enabled look up and honour recipient domains' MTA-STS policies ("outboundTls.mtaSts.enabled")
 */
public record MtaStsConfig(boolean enabled) {
}
