package io.hermod.webhook;

import io.vertx.core.buffer.Buffer;

/**
 * One batch: the journal range {@code (after, lastSeq]} it covers and the JSON body to POST ({@code events} of
 * them matched the endpoint's outcome filter; with 0 there is nothing to send and the range is acknowledged at
 * once). The same body is sent again on every retry.
 */
record WebhookBatch(long after, long lastSeq, int events, Buffer body) {

  boolean isEmpty() {
    return events == 0;
  }
}
