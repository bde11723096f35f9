package io.hermod.routing;

import io.hermod.delivery.DeliveryReport;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Adaptive backoff: a deferral whose reply says "slow down" (421, "4.7.0 ... rate", "try again later",
 * "too many ...", configurable in delivery.suspendPatterns) suspends the whole destination for
 * delivery.suspendSeconds, as KumoMTA's and Postfix's throttling do, instead of hammering it.
 */
final class Backoff {

  private final List<Pattern> patterns;
  private final long suspendMillis;

  Backoff(List<String> patterns, int suspendSeconds) {
    this.patterns = patterns.stream().map(Pattern::compile).toList();
    this.suspendMillis = suspendSeconds * 1000L;
  }

  /** How long to suspend the destination after this report; 0 = not at all. */
  long suspendMillis(DeliveryReport report) {
    if (suspendMillis == 0) {
      return 0;
    }
    for (DeliveryReport.Result r : report.results()) {
      if (r.outcome() == DeliveryReport.Outcome.DEFERRED && matches(r.summary())) {
        return suspendMillis;
      }
    }
    return 0;
  }

  private boolean matches(String reply) {
    return patterns.stream().anyMatch(p -> p.matcher(reply).find());
  }
}
