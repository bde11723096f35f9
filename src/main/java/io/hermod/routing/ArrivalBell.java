package io.hermod.routing;

import io.vertx.core.Context;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How the listeners tell the router of new mail: they ring (any thread), and the router takes due mail from the
 * queue index once per turn of its event loop however many rang meanwhile. A message committed by a listener is
 * in the index, due, before its listener rings (the spool's observer hears of it first), so one look at the
 * index finds every message rung for.
 *
 * <p>It replaces a {@code hermod.router.trigger} message per accepted message (issue #17: a JSON object, its copy
 * by the event bus's codec, a handler lookup and a hop to the router's event loop for each), which stays for
 * everything else that has one queue id to hand over (docs/eventbus.md).
 */
public final class ArrivalBell {

  private final AtomicBoolean rung = new AtomicBoolean();
  private volatile Context router; // null until a router listens
  private volatile Runnable onRing = () -> { };

  /** The router's {@code look} runs on {@code context} after rings; call on start. */
  void listen(Context context, Runnable look) {
    onRing = look;
    router = context;
  }

  /** No router listens any more (stopped): rings go nowhere; what is due waits for the next router's look. */
  void stopListening() {
    router = null;
  }

  /** New mail is in the queue index. Cheap when the router's look is already coming: no allocation, no hop. */
  public void ring() {
    Context context = router;
    if (context != null && rung.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        rung.set(false); // first: mail committed during the look rings again
        onRing.run();
      });
    }
  }
}
