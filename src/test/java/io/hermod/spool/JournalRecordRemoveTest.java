package io.hermod.spool;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A removal's line is the very line Jackson would write, for a queue id and for anything else. */
class JournalRecordRemoveTest {

  private static String byJackson(String id) {
    return new JsonObject().put("id", id).encode() + "\n";
  }

  @Test
  void aQueueIdsLineIsTheJsonLine() {
    for (String id : new String[] {"1m969pz267nv9btv", "0000000000000000", "zzzzzzzzzzzzzzzz"}) {
      assertEquals(true, QueueIds.isValid(id), id);
      assertEquals(byJackson(id), new String(JournalRecord.remove(id).line(), StandardCharsets.UTF_8), id);
    }
  }

  @Test
  void anythingElseIsEncodedAsJson() {
    for (String id : new String[] {"with\"quote", "tab\there", "é-id", ""}) {
      assertEquals(byJackson(id), new String(JournalRecord.remove(id).line(), StandardCharsets.UTF_8), id);
    }
  }
}
