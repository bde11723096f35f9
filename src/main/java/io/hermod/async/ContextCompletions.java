package io.hermod.async;

import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The completions of one batch (a group commit of the spool, a batch of the event journal), handed to their
 * callers' contexts as one task per context rather than one per entry (issue #17: a batch of a dozen commits from
 * two listener event loops was a dozen tasks, each a cross-thread queue offer and perhaps a wakeup). On each
 * context they run in the order they were added. Not thread-safe: one batch, one thread.
 */
public final class ContextCompletions {

  private static final Logger LOG = Logger.getLogger("io.hermod.async");

  private final Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();

  public void add(Context context, Runnable completion) {
    byContext.computeIfAbsent(context, c -> new ArrayList<>()).add(completion);
  }

  /** Hands every completion added to its context; this collection is empty again after. */
  public void run() {
    byContext.forEach((context, completions) -> context.runOnContext(v -> {
      for (Runnable completion : completions) {
        try {
          completion.run();
        } catch (RuntimeException e) {
          // One caller's failing callback must not keep the others of its event loop waiting for their commit.
          LOG.log(Level.SEVERE, "a batch's completion failed", e);
        }
      }
    }));
    byContext.clear();
  }
}
