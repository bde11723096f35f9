package io.hermod.spool;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells a {@link SpoolObserver}, shielding the spool's threads from it: an observer that throws must not stop
 * the committer (every session would wait for its 250 forever), so the failure is logged and the spool goes on.
 */
final class Observing {

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  private Observing() {
  }

  static void stored(SpoolObserver observer, Envelope envelope) {
    try {
      observer.stored(envelope);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "spool: observer failed on " + envelope.id(), e);
    }
  }

  static void arrived(SpoolObserver observer, Envelope envelope, java.util.List<java.nio.ByteBuffer> content) {
    try {
      observer.arrived(envelope, content);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "spool: observer failed on " + envelope.id(), e);
    }
  }

  static void removed(SpoolObserver observer, String id) {
    try {
      observer.removed(id);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "spool: observer failed on the removal of " + id, e);
    }
  }
}
