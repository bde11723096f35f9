package io.hermod.routing;

import io.hermod.config.DnsConfig;
import io.hermod.spool.Recipient;
import java.time.Duration;

/**
 * The short retry of a recipient deferred by a DNS failure ({@code dns.tempFailRetrySeconds},
 * {@code dns.tempFailRetries}): a lookup that failed once (a lost answer, a resolver's bad moment) should not hold
 * mail for the delivery backoff. A DNS deferral is one whose enhanced status is 4.4.3 (RFC 3463 "Directory
 * server failure"): every DNS temporary failure of Hermod's own lookups ({@link Resolution.Status#TEMP_FAIL}),
 * and a next hop's report of its own. The attempts counted are all of the recipient's, the failed one included;
 * after the first {@code attempts} the usual backoff applies, counting them all.
 *
 * @param attempts on how many of a recipient's first attempts a DNS deferral is retried early; 0 = never
 * @param delay    the delay (jittered like every retry)
 */
public record DnsRetry(int attempts, Duration delay) {

  public static final DnsRetry NEVER = new DnsRetry(0, Duration.ZERO);

  public static DnsRetry of(DnsConfig config) {
    return new DnsRetry(config.tempFailRetries(), Duration.ofSeconds(config.tempFailRetrySeconds()));
  }

  /** True for a deferred recipient whose last reply is a DNS failure within its first {@link #attempts}. */
  boolean applies(Recipient deferred) {
    return deferred.attempts() <= attempts && isDnsFailure(deferred.lastReply());
  }

  /** "451 4.4.3 DNS lookup of ... failed: ...": the reply code, then the enhanced status. */
  static boolean isDnsFailure(String reply) {
    if (reply == null) {
      return false;
    }
    String[] words = reply.split(" ", 3);
    return words.length >= 2 && words[1].equals(Resolution.Status.TEMP_FAIL.enhancedStatus);
  }
}
