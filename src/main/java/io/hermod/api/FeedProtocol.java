package io.hermod.api;

import java.util.regex.Pattern;

/**
 * The wire format of the durable event feed on {@link Addresses#FEED_NODE_PREFIX} (docs/events.md "Subscribing
 * over the event bus"): field names, operations, failure codes. {@link EventFeed} speaks it for applications;
 * Hermod's feed verticle answers it. Every request is JSON with {@link #OP} and {@link #CURSOR}.
 */
public final class FeedProtocol {

  /** open: creates the named cursor where {@link #START} says, or finds it; reply {@link #POSITION}. */
  public static final String OP_OPEN = "open";
  /** read: events after {@link #AFTER}, waiting up to {@link #WAIT_MILLIS} at the end; reply {@link #EVENTS}. */
  public static final String OP_READ = "read";
  /** ack: the cursor has everything up to {@link #SEQ}; committed durably before the reply. */
  public static final String OP_ACK = "ack";
  /** remove: forgets the cursor on this node. */
  public static final String OP_REMOVE = "remove";

  public static final String OP = "op";
  public static final String CURSOR = "cursor";
  /** "beginning" (the oldest kept event), "end" (only new events) or "time" (events from {@link #TIME} on). */
  public static final String START = "start";
  public static final String TIME = "time";
  /** true: move an existing cursor to {@link #START} (replay), even backwards. */
  public static final String RESET = "reset";
  public static final String AFTER = "after";
  public static final String MAX = "max";
  public static final String WAIT_MILLIS = "waitMillis";
  public static final String SEQ = "seq";
  public static final String NODE = "node";
  public static final String ADDRESS = "address";
  public static final String POSITION = "position";
  public static final String EVENTS = "events";
  public static final String LAST_SEQ = "lastSeq";
  public static final String FIRST_SEQ = "firstSeq";

  public static final String START_BEGINNING = "beginning";
  public static final String START_END = "end";
  public static final String START_TIME = "time";

  /** Failure codes of the {@link io.vertx.core.eventbus.ReplyException} a refused request gets. */
  public static final int BAD_REQUEST = 400;
  public static final int NO_SUCH_CURSOR = 404;
  public static final int TOO_MANY = 429;
  public static final int FAILED = 500;

  private static final Pattern CURSOR_NAME = Pattern.compile("[A-Za-z0-9._-]{1,90}");

  /** Cursor names: 1 to 90 of letters, digits, '.', '_', '-' (they name files on the node). */
  public static boolean isValidCursorName(String name) {
    return name != null && CURSOR_NAME.matcher(name).matches();
  }

  private FeedProtocol() {
  }
}
