package io.hermod.api;

import java.util.List;

/**
 * Consecutive events of one node's journal, in seq order, handed to an {@link EventFeed} handler. When the
 * handler's future succeeds the feed acknowledges {@link #lastSeq()} to that node.
 *
 * @param node   the node the events come from
 * @param events at least one event
 */
public record EventBatch(String node, List<FeedEvent> events) {

  public EventBatch {
    events = List.copyOf(events);
  }

  public long firstSeq() {
    return events.get(0).seq();
  }

  public long lastSeq() {
    return events.get(events.size() - 1).seq();
  }
}
