package io.hermod.shaping;

import java.util.Objects;

/**
 * The unit of scheduling: an egress source (null = the default) and a remote site. Written as
 * {@code source->site}, or the site alone for the default source (DeliveryJob.queueKey() builds the same).
 * Immutable; its scope keys are built once, since the dispatcher asks for them on every pass.
 */
public final class QueueKey {

  private static final String ARROW = "->";

  private final String source;
  private final String site;
  private final String[] scopes;

  public QueueKey(String source, String site) {
    this.source = source;
    this.site = Objects.requireNonNull(site, "site");
    this.scopes = new String[] {"queue:" + this, "site:" + site, "source:" + (source == null ? "" : source)};
  }

  public static QueueKey parse(String key) {
    int arrow = key.indexOf(ARROW);
    return arrow < 0 ? new QueueKey(null, key) : new QueueKey(key.substring(0, arrow), key.substring(arrow + 2));
  }

  public String source() {
    return source;
  }

  public String site() {
    return site;
  }

  /** The scope keys a shaping decision can be recorded under, narrowest first (do not modify). */
  String[] scopes() {
    return scopes;
  }

  @Override
  public String toString() {
    return source == null ? site : source + ARROW + site;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueKey k && Objects.equals(source, k.source) && site.equals(k.site);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, site);
  }
}
