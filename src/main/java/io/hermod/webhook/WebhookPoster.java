package io.hermod.webhook;

import io.hermod.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.Map;

/**
 * POSTs a signed batch body to one endpoint with Vert.x's HttpClient. The pool holds at most
 * {@code concurrency} connections (one per batch in flight), kept alive between batches. The answer's body is
 * read and dropped (never buffered: a receiver cannot make Hermod hold its reply). Redirects are not followed:
 * a 3xx is a failure, like any status outside 2xx.
 */
final class WebhookPoster {

  static final String WEBHOOK_HEADER = "X-Hermod-Webhook";

  private final Vertx vertx;
  private final WebhookConfig config;
  private final WebhookSignature signature;
  private final HttpClient client;

  WebhookPoster(Vertx vertx, WebhookConfig config, WebhookSignature signature) {
    this.vertx = vertx;
    this.config = config;
    this.signature = signature;
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout(config.timeoutMillis())
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setVerifyHost(true);
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.concurrency()));
  }

  /** POSTs {@code body}, signed at {@code timestampSeconds}; never fails: the outcome says how it went. */
  Future<PostOutcome> post(Buffer body, long timestampSeconds) {
    Promise<PostOutcome> outcome = Promise.promise();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(config.url().toString())
        .setFollowRedirects(false)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "Hermod-Webhook")
        .putHeader(WEBHOOK_HEADER, config.name())
        .putHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestampSeconds))
        .putHeader(WebhookSignature.SIGNATURE_HEADER, signature.sign(timestampSeconds, body.getBytes()));
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      request.putHeader(h.getKey(), h.getValue());
    }
    HttpClientRequest[] sent = new HttpClientRequest[1];
    // One deadline for the whole exchange (connect, send, status, body): a receiver that answers slowly or
    // trickles its body is as failed as one that never answers.
    long timer = vertx.setTimer(config.timeoutMillis(), id -> {
      if (outcome.tryComplete(PostOutcome.timeout(config.timeoutMillis())) && sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(request)
        .compose(req -> {
          sent[0] = req;
          if (outcome.future().isComplete()) { // the deadline passed while connecting
            req.reset();
            return Future.failedFuture("timed out");
          }
          return req.send(body);
        })
        .compose(response -> {
          response.handler(data -> { });
          return response.end().map(v -> response.statusCode());
        })
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          outcome.tryComplete(ar.succeeded() ? PostOutcome.response(ar.result()) : PostOutcome.error(ar.cause()));
        });
    return outcome.future();
  }

  Future<Void> close() {
    return client.close();
  }
}
