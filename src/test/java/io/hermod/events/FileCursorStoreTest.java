package io.hermod.events;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Named cursors on a real file: durable across restarts, never back, bounded, validated. */
class FileCursorStoreTest extends JournalDirTest {


  FileCursorStore open(int max) {
    return FileCursorStore.open(vertx, dir.resolve("cursors.json"), max).await();
  }

  @Test
  void cursorsSurviveARestart() {
    FileCursorStore store = open(10);
    assertEquals(Optional.empty(), store.position("billing").await());
    store.commit("billing", 42).await();
    store.commit("webhook:crm", 7).await();
    store.close().await();

    FileCursorStore again = open(10);
    assertEquals(Optional.of(42L), again.position("billing").await());
    assertEquals(Map.of("billing", 42L, "webhook:crm", 7L), again.snapshot());
    again.remove("billing").await();
    again.close().await();
    assertTrue(failure(again.commit("billing", 50)).getMessage().contains("closed"));
    assertEquals(Map.of("webhook:crm", 7L), open(10).snapshot());
  }

  @Test
  void aCommitNeverMovesACursorBack() {
    FileCursorStore store = open(10);
    store.commit("c", 100).await();
    store.commit("c", 60).await(); // a late acknowledgement
    assertEquals(Optional.of(100L), store.position("c").await());
    store.close().await();
    assertEquals(Optional.of(100L), open(10).position("c").await());
  }

  @Test
  void concurrentCommitsAllBecomeDurableAndTheHighestWins() {
    FileCursorStore store = open(10);
    List<Future<Void>> commits = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      commits.add(store.commit("c" + (i % 5), i));
    }
    Future.all(commits).await();
    store.close().await();
    assertEquals(Map.of("c0", 1000L, "c1", 996L, "c2", 997L, "c3", 998L, "c4", 999L), open(10).snapshot());
  }

  @Test
  void theNumberOfCursorsIsBounded() {
    FileCursorStore store = open(2);
    store.commit("a", 1).await();
    store.commit("b", 1).await();
    Throwable e = failure(store.commit("c", 1));
    assertTrue(e.getMessage().contains("events.journal.maxCursors"), e.getMessage());
    store.commit("a", 2).await(); // an existing one still moves
    store.remove("b").await();
    store.commit("c", 1).await();
    assertEquals(Map.of("a", 2L, "c", 1L), store.snapshot());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "-lead", "a b", "a/b", "é", "x\n"})
  void badNamesAreRefusedWithAClearError(String name) {
    FileCursorStore store = open(10);
    Throwable e = failure(store.commit(name, 1));
    assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
    assertTrue(failure(store.position(name)) instanceof IllegalArgumentException);
    assertFalse(FileCursorStore.validName(name));
    assertTrue(store.snapshot().isEmpty());
  }

  @Test
  void aNameOfAHundredCharactersIsTheLongest() {
    assertTrue(FileCursorStore.validName("a".repeat(100)));
    assertFalse(FileCursorStore.validName("a".repeat(101)));
    assertFalse(FileCursorStore.validName(null));
  }

  @Test
  void aDamagedFileFailsTheOpenWithAClearErrorInsteadOfResettingEveryCursor() throws Exception {
    Files.writeString(dir.resolve("cursors.json"), "{\"cursors\": {\"a\": 1");
    Throwable e = failure(FileCursorStore.open(vertx, dir.resolve("cursors.json"), 10));
    assertTrue(e.getMessage().contains("cursors.json"), e.getMessage());
  }

  @Test
  void eachCursorsLagIsAGaugeUntilItIsRemoved() {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    java.util.concurrent.atomic.AtomicLong lastSeq = new java.util.concurrent.atomic.AtomicLong(100);
    FileCursorStore store = FileCursorStore.open(vertx, dir.resolve("cursors.json"), 10,
        new io.hermod.metrics.HermodMetrics(registry), lastSeq::get).await();
    store.commit("billing", 60).await();
    assertTrue(registry.scrape().contains("hermod_events_cursor_lag{cursor=\"billing\"} 40.0"), registry.scrape());
    lastSeq.set(110);
    store.commit("billing", 100).await();
    assertTrue(registry.scrape().contains("hermod_events_cursor_lag{cursor=\"billing\"} 10.0"), registry.scrape());
    store.remove("billing").await();
    assertFalse(registry.scrape().contains("hermod_events_cursor_lag"), registry.scrape());
  }

  /** The failure of {@code f}; fails the test if {@code f} succeeds. */
  static Throwable failure(Future<?> f) {
    return f.transform(ar -> ar.succeeded() ? Future.failedFuture(new AssertionError("succeeded: " + ar.result()))
        : Future.succeededFuture(ar.cause())).await();
  }

  @Test
  void aTempFileLeftByACrashIsIgnored() throws Exception {
    FileCursorStore store = open(10);
    store.commit("a", 5).await();
    store.close().await();
    Files.writeString(dir.resolve("cursors.json.tmp"), "{\"cursors\": {\"a\": 9"); // torn, never renamed
    assertEquals(Map.of("a", 5L), open(10).snapshot());
    assertFalse(Files.exists(dir.resolve("cursors.json.tmp")));
  }
}
