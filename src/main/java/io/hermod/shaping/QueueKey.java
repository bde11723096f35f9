package io.hermod.shaping;

/**
 * The unit of scheduling: an egress source (null = the default) and a remote site. Written as
 * {@code source->site}, or the site alone for the default source (DeliveryJob.queueKey() builds the same).
 */
public record QueueKey(String source, String site) {

  private static final String ARROW = "->";

  public static QueueKey parse(String key) {
    int arrow = key.indexOf(ARROW);
    return arrow < 0 ? new QueueKey(null, key) : new QueueKey(key.substring(0, arrow), key.substring(arrow + 2));
  }

  @Override
  public String toString() {
    return source == null ? site : source + ARROW + site;
  }

  /** The scope keys a shaping decision can be recorded under, narrowest first. */
  String[] scopes() {
    return new String[] {"queue:" + this, "site:" + site, "source:" + (source == null ? "" : source)};
  }
}
