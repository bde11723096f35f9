package io.hermod.config;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The configuration in force now. A hot reload ({@link ConfigWatcher}) replaces it as a whole; readers take
 * {@link #current()} at the start of a unit of work (an SMTP session, a routing decision, a submission) and
 * keep that snapshot to its end, so no session ever sees half of one configuration and half of another
 * (Postfix's smtpd processes work the same way: new processes read the new main.cf).
 *
 * <p>Thread-safe: listener instances, the router and the submit verticle read it from their own event loops.
 */
public final class LiveConfig {

  private final CopyOnWriteArrayList<Consumer<HermodConfig>> watchers = new CopyOnWriteArrayList<>();
  private volatile HermodConfig current;

  public LiveConfig(HermodConfig initial) {
    this.current = Objects.requireNonNull(initial);
  }

  /** A configuration that never changes (tests, embedding without a file). */
  public static LiveConfig fixed(HermodConfig config) {
    return new LiveConfig(config);
  }

  public HermodConfig current() {
    return current;
  }

  /**
   * Calls {@code watcher} with every configuration published from now on, on the publishing thread: a
   * watcher that owns state on a Vert.x context hops onto it itself. Returns what unregisters it.
   */
  public Runnable onChange(Consumer<HermodConfig> watcher) {
    watchers.add(watcher);
    return () -> watchers.remove(watcher);
  }

  /** Makes {@code next} current, then tells the watchers. */
  public void publish(HermodConfig next) {
    current = Objects.requireNonNull(next);
    for (Consumer<HermodConfig> w : watchers) {
      w.accept(next);
    }
  }
}
