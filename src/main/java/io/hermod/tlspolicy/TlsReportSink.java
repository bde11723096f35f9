package io.hermod.tlspolicy;

/**
 * Where the delivery client reports each TLS attempt that ran under a policy (MTA-STS or DANE): TLS-RPT's
 * counters (RFC 8460). Must not block; called on the delivery verticle's event loop.
 */
public interface TlsReportSink {

  /** Reports nothing (TLS-RPT off). */
  TlsReportSink NONE = outcome -> { };

  void record(TlsOutcome outcome);
}
