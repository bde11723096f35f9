package io.hermod.tlspolicy;

/** Where a {@link HostTlsPolicy} came from: the label of logs, events and metrics ("none", "config", ...). */
public enum PolicySource {
  /** No policy: the default level (opportunistic). */
  NONE,
  /** outboundTls.policies or outboundTls.level in the configuration. */
  CONFIG,
  /** The recipient domain's MTA-STS policy (RFC 8461). */
  MTA_STS,
  /** The MX host's DNSSEC-secure TLSA records (RFC 7672); takes precedence over MTA-STS (RFC 8461 §2). */
  DANE;

  /** Built once: label() is asked for every delivery's log line, event and metric. */
  private final String label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

  public String label() {
    return label;
  }
}
