package io.hermod.delivery;

import io.hermod.config.DeliveryConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * When to try a deferred message again, when to give up, and when to warn the sender (Postfix-like:
 * 5 minutes doubling up to 4 hours, given up after 5 days). Pure: the clock and randomness come in.
 *
 * <p>The delay after the n-th failed attempt is {@code initial * 2^(n-1)}, capped at the maximum, then
 * spread by a random jitter of ±10 % so that messages deferred together (one destination down) do not all
 * come back in the same second. Jitter never pushes a delay past the maximum. On top of that comes a random
 * spread of up to delivery.retrySpreadSeconds, never more than the delay itself: a storm of a million
 * deferrals then comes due over minutes instead of one wave (issue #13; Postfix gets the same effect from
 * its queue manager bringing the deferred queue back in gradually, every queue_run_delay).
 */
public final class RetrySchedule {

  /** ±10 %: enough to spread a burst of deferrals, small enough to keep the schedule predictable. */
  static final double JITTER = 0.10;

  /** The durations in force; replaced as a whole by {@link #reconfigure}, so a reader never mixes two. */
  private record Settings(Duration initial, Duration max, Duration lifetime, Duration delayWarning, Duration spread) {
  }

  private final Random random;
  private volatile Settings settings;

  public RetrySchedule(DeliveryConfig config, Random random) {
    this.random = random;
    this.settings = settingsOf(config);
  }

  /** Takes the retry, lifetime and warning keys of a reloaded configuration; messages keep their arrival. */
  public void reconfigure(DeliveryConfig config) {
    settings = settingsOf(config);
  }

  private static Settings settingsOf(DeliveryConfig config) {
    if (config.retryInitialSeconds() <= 0) {
      throw new IllegalArgumentException("delivery.retryInitialSeconds must be > 0");
    }
    if (config.retryMaxSeconds() < config.retryInitialSeconds()) {
      throw new IllegalArgumentException("delivery.retryMaxSeconds must be >= delivery.retryInitialSeconds");
    }
    if (config.lifetimeSeconds() <= 0) {
      throw new IllegalArgumentException("delivery.lifetimeSeconds must be > 0");
    }
    if (config.delayWarningSeconds() < 0) {
      throw new IllegalArgumentException("delivery.delayWarningSeconds must be >= 0");
    }
    return new Settings(Duration.ofSeconds(config.retryInitialSeconds()), Duration.ofSeconds(config.retryMaxSeconds()),
        Duration.ofSeconds(config.lifetimeSeconds()), Duration.ofSeconds(config.delayWarningSeconds()),
        Duration.ofSeconds(Math.max(0, config.retrySpreadSeconds())));
  }

  /**
   * The earliest time of the next attempt.
   *
   * @param arrival       when the message was accepted
   * @param attemptsSoFar attempts made, the one that just failed included; 0 means never tried (due now)
   * @param now           the current time
   * @return now + the jittered backoff, but never later than the message's expiry (one last attempt is
   *     made at expiry) and never earlier than now
   */
  public Instant nextAttempt(Instant arrival, int attemptsSoFar, Instant now) {
    if (attemptsSoFar <= 0) {
      return now;
    }
    return nextAttemptAfter(arrival, baseDelay(attemptsSoFar), now);
  }

  /**
   * The earliest time of the next attempt after a given delay instead of the backoff (the short retry of a DNS
   * failure, see io.hermod.routing.DnsRetry): now + the jittered delay, capped like {@link #nextAttempt}.
   */
  public Instant nextAttemptAfter(Instant arrival, Duration delay, Instant now) {
    Instant next = now.plus(jittered(delay)).plus(spread(delay));
    Instant expiry = expiry(arrival);
    if (next.isAfter(expiry)) {
      next = expiry;
    }
    return next.isBefore(now) ? now : next;
  }

  /** The un-jittered delay after {@code attemptsSoFar} failed attempts (≥ 1): initial, doubling, capped. */
  Duration baseDelay(int attemptsSoFar) {
    Duration initial = settings.initial();
    Duration max = settings.max();
    Duration delay = initial;
    for (int i = 1; i < attemptsSoFar && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  private Duration jittered(Duration base) {
    double factor = 1.0 + (random.nextDouble() * 2.0 - 1.0) * JITTER;
    Duration delay = Duration.ofMillis(Math.round(base.toMillis() * factor));
    Duration max = settings.max();
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /** A random part of up to delivery.retrySpreadSeconds, at most {@code delay} itself. */
  private Duration spread(Duration delay) {
    Duration window = settings.spread().compareTo(delay) < 0 ? settings.spread() : delay;
    return window.isZero() ? Duration.ZERO : Duration.ofMillis((long) (random.nextDouble() * window.toMillis()));
  }

  /** How long a message is retried (delivery.lifetimeSeconds). */
  public Duration lifetime() {
    return settings.lifetime();
  }

  /** The moment the message stops being retried: arrival + lifetime. */
  public Instant expiry(Instant arrival) {
    return arrival.plus(settings.lifetime());
  }

  /** True from exactly arrival + lifetime on: remaining recipients fail with 4.4.7 and bounce. */
  public boolean expired(Instant arrival, Instant now) {
    return !now.isBefore(expiry(arrival));
  }

  /**
   * True when a DELAY DSN should be sent now: warnings are on (delayWarningSeconds > 0), none was sent
   * yet ({@link io.hermod.spool.Envelope#delayWarned()}), the warning time is reached, and the message has
   * not expired (then a failure DSN is due instead).
   */
  public boolean delayWarningDue(Instant arrival, Instant now, boolean alreadyWarned) {
    Duration delayWarning = settings.delayWarning();
    if (alreadyWarned || delayWarning.isZero()) {
      return false;
    }
    return !now.isBefore(arrival.plus(delayWarning)) && !expired(arrival, now);
  }
}
