package io.hermod.delivery;

/** The Action field of a per-recipient DSN block (RFC 3464 §2.3.3). */
public enum DsnAction {
  FAILED,
  DELAYED,
  DELIVERED,
  RELAYED,
  EXPANDED;

  /** The field value as written in the report ("failed", "delayed", ...). */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** delivered, relayed and expanded are "success" notifications (RFC 3461 §4.1 NOTIFY=SUCCESS). */
  public boolean isSuccess() {
    return this == DELIVERED || this == RELAYED || this == EXPANDED;
  }
}
