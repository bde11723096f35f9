package io.hermod.config;

import io.hermod.egress.EgressConfig;

import java.util.List;
import java.util.Objects;

/**
 * Outbound delivery (all under "delivery"): retries, the router's active window and traffic shaping.
 *
 * @param retryInitialSeconds    first retry delay after a temporary failure ("delivery.retryInitialSeconds")
 * @param retryMaxSeconds        the doubling stops here ("delivery.retryMaxSeconds")
 * @param lifetimeSeconds        a message still undelivered after this bounces with 4.4.7 ("delivery.lifetimeSeconds")
 * @param delayWarningSeconds    a DELAY DSN is sent once after this; 0 = never ("delivery.delayWarningSeconds")
 * @param maxConnections         outbound connections (delivery jobs in flight) over all destinations
 *                               ("delivery.maxConnections")
 * @param maxConnectionsPerDestination per destination domain/next hop ("delivery.maxConnectionsPerDestination")
 * @param maxMessagesPerConnection messages sent over one connection before QUIT ("delivery.maxMessagesPerConnection")
 * @param instances              delivery verticle instances ("delivery.instances")
 * @param activeWindow           most messages the router holds in memory at once ("delivery.activeWindow")
 * @param scanIntervalSeconds    how often the router scans the spool for due messages ("delivery.scanIntervalSeconds")
 * @param jobTimeoutSeconds      how long the router waits for a delivery job's report ("delivery.jobTimeoutSeconds")
 * @param requeueDelayMillis     delay before a job that was not attempted (no consumer, timeout, busy) is sent
 *                               again ("delivery.requeueDelayMillis")
 * @param ratePerDestination     most jobs started per second per destination; 0 = unlimited
 *                               ("delivery.ratePerDestination")
 * @param suspendSeconds         how long a destination gets no jobs after a deferral matching
 *                               {@code suspendPatterns}; 0 = never suspend ("delivery.suspendSeconds")
 * @param suspendPatterns        regular expressions matched (find) against deferral replies "451 4.7.0 text"
 *                               ("delivery.suspendPatterns")
 * @param maxConnectionsPerHost  connections to one MX host (address and port) from one delivery instance, over
 *                               all destinations it serves; 0 = no cap ("delivery.maxConnectionsPerHost")
 * @param connectTimeoutSeconds  outbound TCP connect timeout ("delivery.connectTimeoutSeconds")
 * @param commandTimeoutSeconds  outbound wait for the greeting and each command reply; the DATA reply waits at
 *                               most 120 s (RFC 5321 §4.5.3.2.4) ("delivery.commandTimeoutSeconds")
 * @param dataTimeoutSeconds     outbound wait for the reply to the end of data; each wait for the socket to
 *                               drain while sending the body is at most 180 s (RFC 5321 §4.5.3.2.5)
 *                               ("delivery.dataTimeoutSeconds")
 * @param egress                 egress sources, pools and how mail picks its pool ("delivery.sources",
 *                               "delivery.pools", "delivery.poolSelection", "delivery.defaultPool")
 * @param retrySpreadSeconds     a deferral's next attempt is spread by up to this much on top of its backoff
 *                               (never more than the backoff itself), so that mail deferred together comes
 *                               back spread out ("delivery.retrySpreadSeconds")
 * @param maxJobsPerBatch        most waiting jobs of one (source, site) queue the router sends in one request
 *                               when the queue's connections are all busy; 1 = a request per job
 *                               ("delivery.maxJobsPerBatch")
 */
public record DeliveryConfig(int retryInitialSeconds, int retryMaxSeconds, int lifetimeSeconds,
                             int delayWarningSeconds, int maxConnections, int maxConnectionsPerDestination,
                             int maxMessagesPerConnection, int instances, int activeWindow,
                             int scanIntervalSeconds, int jobTimeoutSeconds, int requeueDelayMillis,
                             int ratePerDestination, int suspendSeconds, List<String> suspendPatterns,
                             int maxConnectionsPerHost, int connectTimeoutSeconds, int commandTimeoutSeconds,
                             int dataTimeoutSeconds, EgressConfig egress, int retrySpreadSeconds,
                             int maxJobsPerBatch) {

  /** The shipped defaults of the router keys (keep in step with defaults.json). */
  public static final List<String> DEFAULT_SUSPEND_PATTERNS =
      List.of("^421", "4\\.7\\.0.*rate", "(?i)try again later", "(?i)too many");

  public static final int DEFAULT_RETRY_SPREAD_SECONDS = 300;
  public static final int DEFAULT_MAX_JOBS_PER_BATCH = 10;

  /** The same settings with another delivery.retrySpreadSeconds. */
  public DeliveryConfig withRetrySpreadSeconds(int seconds) {
    return new DeliveryConfig(retryInitialSeconds, retryMaxSeconds, lifetimeSeconds, delayWarningSeconds,
        maxConnections, maxConnectionsPerDestination, maxMessagesPerConnection, instances, activeWindow,
        scanIntervalSeconds, jobTimeoutSeconds, requeueDelayMillis, ratePerDestination, suspendSeconds,
        suspendPatterns, maxConnectionsPerHost, connectTimeoutSeconds, commandTimeoutSeconds, dataTimeoutSeconds,
        egress, seconds, maxJobsPerBatch);
  }

  public DeliveryConfig {
    suspendPatterns = List.copyOf(suspendPatterns);
    Objects.requireNonNull(egress, "egress");
  }

  /** Retry and connection settings with the shipped defaults for the router's window and shaping keys, no pools. */
  public DeliveryConfig(int retryInitialSeconds, int retryMaxSeconds, int lifetimeSeconds, int delayWarningSeconds,
                        int maxConnections, int maxConnectionsPerDestination, int maxMessagesPerConnection,
                        int instances) {
    this(retryInitialSeconds, retryMaxSeconds, lifetimeSeconds, delayWarningSeconds, maxConnections,
        maxConnectionsPerDestination, maxMessagesPerConnection, instances, 10_000, 30, 600, 5000, 0, 60,
        DEFAULT_SUSPEND_PATTERNS, 0, 30, 300, 600, EgressConfig.NONE, DEFAULT_RETRY_SPREAD_SECONDS,
        DEFAULT_MAX_JOBS_PER_BATCH);
  }
}
