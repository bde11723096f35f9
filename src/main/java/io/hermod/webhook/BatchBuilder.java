package io.hermod.webhook;

import io.hermod.events.JournalEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * Builds the POST body of a batch of journal entries (docs/events.md "Webhooks", body shape):
 * <pre>{"node": "3f2a9c...", "hostname": "mx1.example.com", "webhook": "billing", "firstSeq": 41, "lastSeq": 42,
 *  "events": [{"seq": 41, "outcome": "delivered", ...}, {"seq": 42, ...}]}</pre>
 * Each event is the {@code hermod.events} JSON (docs/eventbus.md) with its journal {@code seq}; {@code node} is the
 * node's id in the event feed (as its subscribers see it), {@code hostname} its configured name; (node, seq)
 * identifies an event, so a receiver can drop the duplicates at-least-once brings.
 */
final class BatchBuilder {

  private final String node;
  private final String hostname;
  private final String webhook;
  private final Set<String> outcomes; // empty = all

  BatchBuilder(String node, String hostname, String webhook, Set<String> outcomes) {
    this.node = node;
    this.hostname = hostname;
    this.webhook = webhook;
    this.outcomes = outcomes;
  }

  /** The batch of {@code entries} (non-empty, in seq order) read after {@code after}. */
  WebhookBatch build(long after, List<JournalEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("an empty read is not a batch");
    }
    JsonArray events = new JsonArray();
    for (JournalEntry e : entries) {
      if (wanted(e.event())) {
        // seq first (readable), then the event's fields; the journal's seq wins over any field of that name.
        events.add(new JsonObject().put("seq", e.seq()).mergeIn(e.event()).put("seq", e.seq()));
      }
    }
    long last = entries.get(entries.size() - 1).seq();
    if (events.isEmpty()) {
      return new WebhookBatch(after, last, 0, null);
    }
    JsonObject body = new JsonObject()
        .put("node", node)
        .put("hostname", hostname)
        .put("webhook", webhook)
        .put("firstSeq", events.getJsonObject(0).getLong("seq"))
        .put("lastSeq", events.getJsonObject(events.size() - 1).getLong("seq"))
        .put("events", events);
    return new WebhookBatch(after, last, events.size(), body.toBuffer());
  }

  private boolean wanted(JsonObject event) {
    return outcomes.isEmpty() || outcomes.contains(event.getString("outcome", ""));
  }
}
