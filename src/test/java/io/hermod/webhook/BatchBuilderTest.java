package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.events.JournalEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchBuilderTest {

  private static final List<JournalEntry> ENTRIES = List.of(
      entry(41, "delivered"), entry(42, "deferred"), entry(43, "bounced"), entry(44, "deferred"));

  static Stream<Arguments> filters() {
    // outcome filter -> seqs in the body (empty: nothing to POST)
    return Stream.of(
        Arguments.of(Set.of(), List.of(41L, 42L, 43L, 44L)),
        Arguments.of(Set.of("deferred", "bounced"), List.of(42L, 43L, 44L)),
        Arguments.of(Set.of("delivered"), List.of(41L)),
        Arguments.of(Set.of("expired"), List.of()));
  }

  @ParameterizedTest
  @MethodSource("filters")
  void theBodyHoldsTheWantedEventsWithTheirSeqAndTheBatchCoversTheWholeRead(Set<String> outcomes, List<Long> seqs) {
    WebhookBatch batch = new BatchBuilder("n1", "mx1.test", "billing", outcomes).build(40, ENTRIES);
    assertEquals(40, batch.after());
    assertEquals(44, batch.lastSeq(), "filtered-out entries are covered too: the cursor moves over them");
    assertEquals(seqs.size(), batch.events());
    if (seqs.isEmpty()) {
      assertTrue(batch.isEmpty());
      assertNull(batch.body());
      return;
    }
    JsonObject body = batch.body().toJsonObject();
    assertEquals("n1", body.getString("node"));
    assertEquals("mx1.test", body.getString("hostname"));
    assertEquals("billing", body.getString("webhook"));
    assertEquals(seqs.get(0), body.getLong("firstSeq"));
    assertEquals(seqs.get(seqs.size() - 1), body.getLong("lastSeq"));
    JsonArray events = body.getJsonArray("events");
    for (int i = 0; i < seqs.size(); i++) {
      JsonObject e = events.getJsonObject(i);
      assertEquals(seqs.get(i), e.getLong("seq"));
      assertEquals("q" + seqs.get(i), e.getString("queueId"), "the event's own fields are kept");
    }
  }

  @Test
  void theJournalSeqWinsOverAFieldOfTheSameNameInTheEvent() {
    JournalEntry odd = new JournalEntry(7, new JsonObject().put("seq", 999).put("outcome", "delivered"));
    JsonObject e = new BatchBuilder("n", "h", "w", Set.of()).build(6, List.of(odd)).body().toJsonObject()
        .getJsonArray("events").getJsonObject(0);
    assertEquals(7, e.getLong("seq"));
    assertEquals(999, odd.event().getInteger("seq"), "the journal's entry is not changed");
  }

  @Test
  void anEmptyReadIsNotABatch() {
    assertThrows(IllegalArgumentException.class, () -> new BatchBuilder("n", "h", "w", Set.of()).build(0, List.of()));
  }

  private static JournalEntry entry(long seq, String outcome) {
    return new JournalEntry(seq, new JsonObject().put("queueId", "q" + seq).put("recipient", "r@x.test")
        .put("outcome", outcome));
  }
}
