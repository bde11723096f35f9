package io.hermod.events;

import io.hermod.api.FeedProtocol;
import io.hermod.config.EventFeedConfig;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One request to a node's feed ({@link FeedProtocol}), parsed and bounded by the node's configuration: a reader
 * may ask for less than the node allows, never more. Pure: {@link #parse} throws {@link Invalid} with the reason.
 */
sealed interface FeedRequest {

  /** The cursor's name as the application gave it. */
  String cursor();

  /** Where a new cursor starts (or where a reset moves one). */
  enum Start { BEGINNING, END, TIME }

  record Open(String cursor, Start start, Instant time, boolean reset) implements FeedRequest {
  }

  record Read(String cursor, long after, int max, long waitMillis) implements FeedRequest {
  }

  record Ack(String cursor, long seq) implements FeedRequest {
  }

  record Remove(String cursor) implements FeedRequest {
  }

  /** A request that cannot be served as sent: the reader gets a 400 with this message. */
  final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  static FeedRequest parse(Object message, EventFeedConfig limits) {
    if (!(message instanceof JsonObject body)) {
      throw new Invalid("the request must be a JSON object, not " + (message == null ? "nothing"
          : message.getClass().getSimpleName()));
    }
    String cursor = text(body, FeedProtocol.CURSOR);
    if (!FeedProtocol.isValidCursorName(cursor)) {
      throw new Invalid("cursor must be 1 to 90 letters, digits, '.', '_' or '-': " + cursor);
    }
    String op = text(body, FeedProtocol.OP);
    if (op == null) {
      throw new Invalid("op is missing");
    }
    return switch (op) {
      case FeedProtocol.OP_OPEN -> open(cursor, body);
      case FeedProtocol.OP_READ -> new Read(cursor, seq(body, FeedProtocol.AFTER),
          (int) Math.min(limits.maxBatchEntries(), Math.max(1, number(body, FeedProtocol.MAX, limits.maxBatchEntries()))),
          Math.min(limits.maxWaitMillis(), Math.max(0, number(body, FeedProtocol.WAIT_MILLIS, 0))));
      case FeedProtocol.OP_ACK -> new Ack(cursor, seq(body, FeedProtocol.SEQ));
      case FeedProtocol.OP_REMOVE -> new Remove(cursor);
      default -> throw new Invalid("unknown op: " + op);
    };
  }

  private static Open open(String cursor, JsonObject body) {
    String start = text(body, FeedProtocol.START);
    boolean reset = Boolean.TRUE.equals(body.getValue(FeedProtocol.RESET));
    if (start == null || start.equals(FeedProtocol.START_BEGINNING)) {
      return new Open(cursor, Start.BEGINNING, null, reset);
    }
    if (start.equals(FeedProtocol.START_END)) {
      return new Open(cursor, Start.END, null, reset);
    }
    if (!start.equals(FeedProtocol.START_TIME)) {
      throw new Invalid("start must be beginning, end or time: " + start);
    }
    String time = text(body, FeedProtocol.TIME);
    if (time == null) {
      throw new Invalid("start time needs time (ISO-8601, e.g. 2026-01-02T03:04:05Z)");
    }
    try {
      return new Open(cursor, Start.TIME, Instant.parse(time), reset);
    } catch (DateTimeParseException e) {
      throw new Invalid("time is not ISO-8601 (e.g. 2026-01-02T03:04:05Z): " + time);
    }
  }

  private static long seq(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (!(v instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
      throw new Invalid(key + " must be a sequence number (an integer >= 0): " + v);
    }
    return n.longValue();
  }

  private static long number(JsonObject body, String key, long absent) {
    Object v = body.getValue(key);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof Number n)) {
      throw new Invalid(key + " must be a number: " + v);
    }
    return n.longValue();
  }

  private static String text(JsonObject body, String key) {
    return body.getValue(key) instanceof String s ? s : null;
  }
}
