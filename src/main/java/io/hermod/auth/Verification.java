package io.hermod.auth;

/** How a login's credentials were checked. */
public enum Verification {
  /** Matched a remembered successful verification ({@link LoginCache}): no PBKDF2 run. */
  CACHED("hit"),
  /** Computed now: PBKDF2 for PLAIN and LOGIN, the proof for SCRAM-SHA-256 (failures always are). */
  COMPUTED("miss");

  private final String cacheTag;

  Verification(String cacheTag) {
    this.cacheTag = cacheTag;
  }

  /** The {@code cache} tag of hermod_auth_logins_total. */
  public String cacheTag() {
    return cacheTag;
  }
}
