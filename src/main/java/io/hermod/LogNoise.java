package io.hermod;

import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops two warnings every start would print although nothing is wrong (docs/operations.md, "Logs"), each at
 * its own logger and only that message, so that everything else those loggers say still gets through:
 * <ul>
 *   <li>Micrometer's "This Gauge has been already registered" for Vert.x's meters ({@code vertx.*}):
 *       vertx-micrometer-metrics registers a gauge again for every event-bus consumer, pool or connection and
 *       gets the same counter back by design (vert-x3/vertx-micrometer-metrics#259, micrometer#6931); since
 *       Micrometer 1.13.9 the second registration warns once. Hermod's own meters are declared once
 *       ({@code HermodMetrics}), and a second registration of one of them still warns.</li>
 *   <li>Hazelcast's "CP Subsystem is not enabled. CP data structures will operate in UNSAFE mode!" with
 *       {@code -cluster}: neither Hermod nor vertx-hazelcast uses a CP data structure (locks, counters and the
 *       slot leases are Hazelcast maps), so the mode does not matter.</li>
 * </ul>
 */
final class LogNoise {

  // Strong references: java.util.logging holds its loggers weakly, and a collected logger forgets its filter.
  private static final Logger MICROMETER = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
  private static final Logger HAZELCAST_CP = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  private LogNoise() {
  }

  static void drop() {
    MICROMETER.setFilter(r -> !vertxGaugeRegisteredAgain(r));
    HAZELCAST_CP.setFilter(r -> !cpSubsystemOff(r));
  }

  static boolean vertxGaugeRegisteredAgain(LogRecord r) {
    return r.getMessage() != null && r.getMessage().startsWith("This Gauge has been already registered (MeterId{name='vertx.");
  }

  static boolean cpSubsystemOff(LogRecord r) {
    return r.getMessage() != null && r.getMessage().contains("CP Subsystem is not enabled");
  }
}
