package io.hermod.local;

import io.hermod.config.LocalTransport;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;

/**
 * Delivery to an application's event-bus consumer (docs/local-delivery.md, "Bus contract"). A reply is the
 * acknowledgement for every recipient; a {@link ReplyException} with a failure code from 500 to 599 is a
 * permanent refusal (bounce); anything else (no consumer, timeout, other failure) defers, so the message
 * is offered again later: at-least-once.
 */
final class BusDeliverer implements LocalDeliverer {

  private final Vertx vertx;
  private final long timeoutMs;
  private final int inlineMaxBytes;

  BusDeliverer(Vertx vertx, long timeoutMs, int inlineMaxBytes) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.inlineMaxBytes = inlineMaxBytes;
  }

  @Override
  public Future<DeliveryReport> deliver(LocalJob job) {
    String address = ((LocalTransport.Bus) job.transport()).address();
    return request(job).compose(body -> vertx.eventBus().request(address, body,
            new DeliveryOptions().setSendTimeout(timeoutMs)))
        .map(reply -> LocalResults.all(job, null, 250, "2.0.0", "acknowledged by " + address))
        .recover(e -> Future.succeededFuture(refused(job, address, e)));
  }

  private static DeliveryReport refused(LocalJob job, String address, Throwable e) {
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() >= 500 && re.failureCode() <= 599) {
      return LocalResults.all(job, null, re.failureCode(), "5.0.0", oneLine(re.getMessage()));
    }
    String why = e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
        ? "no consumer at " + address
        : e instanceof ReplyException re2 && re2.failureType() == ReplyFailure.TIMEOUT
            ? "no acknowledgement from " + address + " in time" : oneLine(e.getMessage());
    return LocalResults.all(job, null, 451, "4.3.0", why);
  }

  /** The request: the envelope, and the message inline (small) or as a spool file range (big). */
  private Future<JsonObject> request(LocalJob job) {
    byte[] prepended = job.prependBytes();
    JsonObject body = new JsonObject().put("queueId", job.queueId()).put("sender", job.sender())
        .put("recipients", new JsonArray(new ArrayList<>(job.recipients())))
        .put("length", prepended.length + job.contentLength());
    if (job.contentLength() > inlineMaxBytes) {
      // The consumer reads the file itself; the fields made at acceptance go before those bytes.
      body.put("contentFile", job.contentFile()).put("contentOffset", job.contentOffset())
          .put("contentLength", job.contentLength());
      return Future.succeededFuture(job.prependHeaders() == null ? body : body.put("prependHeaders", job.prependHeaders()));
    }
    int length = (int) job.contentLength();
    return vertx.fileSystem().open(job.contentFile(), new OpenOptions().setRead(true).setWrite(false))
        .compose(file -> file.read(Buffer.buffer(prepended), prepended.length,
                job.contentOffset(), length)
            .eventually(() -> file.close()))
        .compose(bytes -> bytes.length() == prepended.length + length
            ? Future.succeededFuture(body.put("contentBase64", Base64.getEncoder().encodeToString(bytes.getBytes())))
            : Future.failedFuture("spooled message shorter than its envelope says"));
  }

  private static String oneLine(String s) {
    return s == null ? "failed" : s.replaceAll("[\\r\\n\\t]+", " ").strip();
  }
}
