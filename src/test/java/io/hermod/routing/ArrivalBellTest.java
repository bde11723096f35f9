package io.hermod.routing;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listeners' bell: rings coalesce into one look on the router's context, and none is lost. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArrivalBellTest {

  /** While the router's event loop is busy, a thousand rings make one look, on that context, once it is free. */
  @Test
  void ringsWhileTheRouterIsBusyMakeOneLook(Vertx vertx) throws Exception {
    Context router = vertx.getOrCreateContext();
    ArrivalBell bell = new ArrivalBell();
    AtomicInteger looks = new AtomicInteger();
    List<Boolean> onRouter = new ArrayList<>();
    bell.listen(router, () -> {
      looks.incrementAndGet();
      onRouter.add(Vertx.currentContext() == router);
    });
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch free = new CountDownLatch(1);
    router.runOnContext(v -> {
      busy.countDown();
      await(free);
    });
    assertTrue(busy.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 1000; i++) {
      bell.ring();
    }
    free.countDown();
    CountDownLatch after = new CountDownLatch(1);
    router.runOnContext(v -> after.countDown()); // queued behind the look
    assertTrue(after.await(10, TimeUnit.SECONDS));
    assertEquals(1, looks.get());
    assertEquals(List.of(true), onRouter);
  }

  /**
   * Four threads each add mail and ring, 20,000 times: every piece of mail is seen by a look that came after it
   * was added (no ring is lost between a look's start and its end). How many looks that took depends on the
   * threads' timing; that rings coalesce is asserted, deterministically, above.
   */
  @Test
  void noMailIsLeftUnseenAfterTheLastRing(Vertx vertx) throws Exception {
    Context router = vertx.getOrCreateContext();
    ArrivalBell bell = new ArrivalBell();
    Queue<Integer> index = new ConcurrentLinkedQueue<>();
    AtomicInteger seen = new AtomicInteger();
    bell.listen(router, () -> {
      while (index.poll() != null) {
        seen.incrementAndGet();
      }
    });
    List<Thread> listeners = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread listener = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          index.add(i);
          bell.ring();
        }
      });
      listeners.add(listener);
      listener.start();
    }
    for (Thread listener : listeners) {
      listener.join();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (seen.get() < 80_000 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(80_000, seen.get());
    assertTrue(index.isEmpty());
  }

  /** A stopped router hears nothing: rings after stopListening run no look. */
  @Test
  void aStoppedRouterIsNotLookedFor(Vertx vertx) throws Exception {
    Context router = vertx.getOrCreateContext();
    ArrivalBell bell = new ArrivalBell();
    AtomicInteger looks = new AtomicInteger();
    bell.listen(router, looks::incrementAndGet);
    bell.stopListening();
    bell.ring();
    CountDownLatch after = new CountDownLatch(1);
    router.runOnContext(v -> after.countDown());
    assertTrue(after.await(10, TimeUnit.SECONDS));
    assertEquals(0, looks.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
