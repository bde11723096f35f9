package io.hermod;

import java.util.logging.LogManager;

/**
 * java.util.logging's {@link LogManager}, except that its own shutdown hook does not silence Hermod's. On SIGTERM
 * the JVM runs every shutdown hook at once; the LogManager's hook resets the logging (closes and removes every
 * handler) at once, so nothing Hermod logged while it drained (the drain line, the sessions' {@code end=drain}
 * summaries, the spool closing) reached stderr. Once {@link #holdResetAtExit()} was called, a reset from that
 * hook is put off until {@link #releaseResetAtExit()}, which {@link Main}'s own hook calls last. Every other
 * reset (start-up configuration, {@code readConfiguration}) works as usual.
 *
 * <p>Installed by {@link Main} through the {@code java.util.logging.manager} system property before anything
 * logs (the LogManager is chosen once, when it is first used); an operator's own manager wins. When another
 * manager is in use, both static methods do nothing and logging behaves as the JDK's.
 */
public final class HermodLogManager extends LogManager {

  private volatile boolean holding;

  /** Public and without arguments: the JDK instantiates the class the system property names. */
  public HermodLogManager() {
    super();
  }

  @Override
  public void reset() {
    if (holding && fromShutdownHook()) {
      return; // Main's hook resets once Hermod has stopped
    }
    super.reset();
  }

  /** From now on the LogManager's shutdown hook leaves the handlers alone until {@link #releaseResetAtExit()}. */
  static void holdResetAtExit() {
    if (LogManager.getLogManager() instanceof HermodLogManager m) {
      m.holding = true;
    }
  }

  /** Hermod's shutdown is over: reset now (flushes and closes the handlers), as the JDK's hook would have. */
  static void releaseResetAtExit() {
    if (LogManager.getLogManager() instanceof HermodLogManager m) {
      m.holding = false;
      m.reset();
    }
  }

  /** The LogManager's hook is an instance of its private inner class {@code LogManager$Cleaner}. */
  private static boolean fromShutdownHook() {
    return Thread.currentThread().getClass().getEnclosingClass() == LogManager.class;
  }
}
