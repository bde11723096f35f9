package io.hermod.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver for tests: a Vert.x HttpServer on 127.0.0.1 that checks every POST's signature as a
 * receiver would (its own HMAC code, the recipe of docs/events.md, not Hermod's), and answers as scripted:
 * {@link Answer#OK} by default once the script is used up.
 */
final class TestReceiver {

  enum Answer {
    /** 200: acknowledged. */
    OK,
    /** 500 after reading the body. */
    FAIL,
    /** Reads the body and never answers (Hermod's timeout). */
    HANG,
    /** Processes the batch, then closes the connection without an answer: an acknowledgement lost on the way. */
    LOSE_ANSWER,
    /** Holds the answer (200) until {@link #releaseHeld()}. */
    HOLD
  }

  /** One POST as received. {@code processed}: the receiver took its events (OK, LOSE_ANSWER, HOLD). */
  record Post(int number, byte[] raw, String signature, JsonObject body, boolean signatureValid, long timestamp,
              String webhookHeader, String authorization, Answer answer) {

    boolean processed() {
      return answer == Answer.OK || answer == Answer.LOSE_ANSWER || answer == Answer.HOLD;
    }

    long firstSeq() {
      return body.getJsonArray("events").getJsonObject(0).getLong("seq");
    }
  }

  private final Vertx vertx;
  private final byte[] secret;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private volatile boolean down; // answers 500 to everything, script or not

  TestReceiver(Vertx vertx, byte[] secret) {
    this.vertx = vertx;
    this.secret = secret;
  }

  Future<TestReceiver> start() {
    return start(0);
  }

  /** On a given port (a receiver that comes back where it was). */
  Future<TestReceiver> start(int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(this::handle);
    return server.listen().map(this);
  }

  /** The answers to the next POSTs, in order. */
  synchronized TestReceiver then(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hermod-events";
  }

  int port() {
    return server.actualPort();
  }

  List<Post> posts() {
    return posts;
  }

  /** The events the receiver took, in arrival order, duplicates included. */
  List<JsonObject> processedEvents() {
    return posts.stream().filter(Post::processed)
        .flatMap(p -> p.body().getJsonArray("events").stream().map(o -> (JsonObject) o)).toList();
  }

  void releaseHeld() {
    vertx.runOnContext(v -> {
      for (HttpServerRequest r : held) {
        r.response().setStatusCode(200).end();
      }
      held.clear();
    });
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** While down, every POST gets a 500 (the script waits). */
  void down(boolean down) {
    this.down = down;
  }

  private synchronized Answer next() {
    if (down) {
      return Answer.FAIL;
    }
    return script.isEmpty() ? Answer.OK : script.poll();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Answer answer = next();
      long timestamp = Long.parseLong(request.getHeader("X-Hermod-Timestamp"));
      String signature = request.getHeader("X-Hermod-Signature");
      boolean valid = verify(timestamp, body.getBytes(), signature);
      posts.add(new Post(posts.size() + 1, body.getBytes(), signature, body.toJsonObject(), valid, timestamp,
          request.getHeader("X-Hermod-Webhook"), request.getHeader("Authorization"), answer));
      switch (answer) {
        case OK -> request.response().setStatusCode(valid ? 200 : 401).end();
        case FAIL -> request.response().setStatusCode(500).end("try later");
        case HANG -> { }
        case LOSE_ANSWER -> request.connection().close();
        case HOLD -> held.add(request);
      }
    });
  }

  /** What a receiver does (docs/events.md): HMAC-SHA256 of "timestamp.body", compared in constant time. */
  boolean verify(long timestamp, byte[] body, String header) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] expected = mac.doFinal(body);
      return header != null && header.startsWith("v1=")
          && MessageDigest.isEqual(expected, HexFormat.of().parseHex(header.substring(3)));
    } catch (Exception e) {
      return false;
    }
  }
}
