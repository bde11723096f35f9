package io.hermod.webhook;

/**
 * How one POST of a batch ended: an HTTP status, a timeout ({@code webhooks[].timeoutMillis}), or a
 * connection-level error. Only a 2xx acknowledges the batch; anything else means "send it again later".
 */
record PostOutcome(Kind kind, int status, String detail) {

  enum Kind { RESPONSE, TIMEOUT, ERROR }

  static PostOutcome response(int status) {
    return new PostOutcome(Kind.RESPONSE, status, "HTTP " + status);
  }

  static PostOutcome timeout(long millis) {
    return new PostOutcome(Kind.TIMEOUT, 0, "no complete answer within " + millis + " ms");
  }

  static PostOutcome error(Throwable e) {
    return new PostOutcome(Kind.ERROR, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  boolean acknowledged() {
    return kind == Kind.RESPONSE && status >= 200 && status < 300;
  }

  /** The {@code result} tag of hermod_webhook_posts_total: 2xx..5xx, timeout, error (a small fixed set). */
  String tag() {
    return switch (kind) {
      case TIMEOUT -> "timeout";
      case ERROR -> "error";
      case RESPONSE -> status >= 100 && status < 600 ? (status / 100) + "xx" : "error";
    };
  }
}
