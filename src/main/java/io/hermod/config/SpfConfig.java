package io.hermod.config;

/**
 * SPF (RFC 7208) checks at MAIL FROM on mx listeners, for clients neither trusted nor authenticated.
 *
 * @param policy what the result does ("spf.policy")
 */
public record SpfConfig(Policy policy) {

  public enum Policy {
    /** No check, no header. */
    OFF,
    /** Check and add a Received-SPF header; never refuse. */
    TAG,
    /** As TAG, and refuse MAIL FROM on "fail" (550 5.7.23) and "temperror" (451 4.7.24), RFC 7372 §3.2. */
    REJECT_FAIL
  }
}
