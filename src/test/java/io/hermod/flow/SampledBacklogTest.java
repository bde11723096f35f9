package io.hermod.flow;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SampledBacklogTest {

  @Test
  void readsTheSourceAtMostOncePerInterval() {
    AtomicLong source = new AtomicLong(5);
    AtomicLong reads = new AtomicLong();
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    Backlog backlog = new SampledBacklog(() -> {
      reads.incrementAndGet();
      return source.get();
    }, 100, nanos::get);
    assertEquals(5, backlog.due());
    source.set(9);
    nanos.addAndGet(99_000_000L);
    assertEquals(5, backlog.due(), "within the interval: the last sample");
    assertEquals(1, reads.get());
    nanos.addAndGet(1_000_000L);
    assertEquals(9, backlog.due(), "the interval passed: read again");
    assertEquals(2, reads.get());
  }
}
