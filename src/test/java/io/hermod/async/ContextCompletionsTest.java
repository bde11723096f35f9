package io.hermod.async;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A group commit's completions: each on its caller's context, in order there, none held up by another's failure. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContextCompletionsTest {

  @Test
  void eachRunsOnItsContextInOrderAndAFailingOneStopsNoOther(Vertx vertx) throws Exception {
    Context a = vertx.getOrCreateContext();
    Context b = vertx.getOrCreateContext();
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(5);
    ContextCompletions completions = new ContextCompletions();
    for (String name : List.of("a1", "b1", "a2", "boom", "a3")) {
      Context context = name.startsWith("b") ? b : a;
      completions.add(context, () -> {
        try {
          if (name.equals("boom")) {
            throw new IllegalStateException("a caller's callback failed");
          }
          ran.add(name + (Vertx.currentContext() == context ? "" : " on the wrong context"));
        } finally {
          done.countDown(); // after the add: the test thread reads `ran` once the count is down
        }
      });
    }
    completions.run();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("a1", "a2", "a3"), ran.stream().filter(n -> n.startsWith("a")).toList());
    assertEquals(List.of("b1"), ran.stream().filter(n -> n.startsWith("b")).toList());
  }
}
