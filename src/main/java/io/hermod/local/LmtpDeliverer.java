package io.hermod.local;

import io.hermod.config.LocalTransport;
import io.hermod.delivery.ContentSource;
import io.hermod.delivery.DeliveryReport;
import io.hermod.smtp.DotStuffer;
import io.hermod.smtp.ServerReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivery to an LMTP server (RFC 2033): one connection per job, LHLO instead of EHLO, one RCPT per
 * recipient, and after the data one reply per accepted recipient, in RCPT order (§4.2). The server's
 * replies decide: 2xx delivered, 4xx deferred, 5xx failed. If the session breaks, every recipient without
 * a final reply yet is deferred; those already answered keep their answer (no duplicate delivery).
 */
final class LmtpDeliverer implements LocalDeliverer {

  private final Vertx vertx;
  private final NetClient client;
  private final String hostname;
  private final long timeoutMs;

  LmtpDeliverer(Vertx vertx, NetClient client, String hostname, long timeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.hostname = hostname;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<DeliveryReport> deliver(LocalJob job) {
    LocalTransport.Lmtp lmtp = (LocalTransport.Lmtp) job.transport();
    Map<String, DeliveryReport.Result> results = new LinkedHashMap<>();
    return client.connect(lmtp.port(), lmtp.host())
        .compose(socket -> {
          LmtpConnection c = new LmtpConnection(vertx, socket, timeoutMs);
          return session(c, job, results).eventually(() -> quit(c));
        })
        .transform(done -> {
          String why = done.failed() ? "LMTP to " + lmtp.host() + ":" + lmtp.port() + " failed: "
              + done.cause().getMessage() : "no reply from the LMTP server";
          List<DeliveryReport.Result> all = new ArrayList<>();
          for (String rcpt : job.recipients()) {
            DeliveryReport.Result r = results.get(rcpt);
            all.add(r != null ? r : LocalResults.local(rcpt, 451, "4.4.2", why));
          }
          return Future.succeededFuture(new DeliveryReport(lmtp.host(), null, all));
        });
  }

  private Future<Void> session(LmtpConnection c, LocalJob job, Map<String, DeliveryReport.Result> results) {
    return c.reply()
        .compose(greeting -> expect(greeting, 2, job, results)
            ? c.command("LHLO " + hostname) : Future.failedFuture(stopped()))
        .compose(lhlo -> expect(lhlo, 2, job, results)
            ? c.command("MAIL FROM:<" + job.sender() + ">") : Future.failedFuture(stopped()))
        .compose(mail -> expect(mail, 2, job, results)
            ? recipients(c, job, results, 0, new ArrayList<>()) : Future.failedFuture(stopped()))
        .recover(e -> e instanceof Stopped ? Future.succeededFuture(List.of()) : Future.failedFuture(e))
        .compose(accepted -> accepted.isEmpty() ? Future.succeededFuture() : data(c, job, accepted, results));
  }

  /** RCPT one at a time; the accepted ones are collected in order for the replies after the data. */
  private Future<List<String>> recipients(LmtpConnection c, LocalJob job, Map<String, DeliveryReport.Result> results,
                                          int index, List<String> accepted) {
    if (index == job.recipients().size()) {
      return Future.succeededFuture(accepted);
    }
    String rcpt = job.recipients().get(index);
    return c.command("RCPT TO:<" + rcpt + ">").compose(reply -> {
      if (reply.code() / 100 == 2) {
        accepted.add(rcpt);
      } else {
        results.put(rcpt, result(rcpt, reply));
      }
      return recipients(c, job, results, index + 1, accepted);
    });
  }

  private Future<Void> data(LmtpConnection c, LocalJob job, List<String> accepted,
                            Map<String, DeliveryReport.Result> results) {
    return c.command("DATA").compose(go -> {
      if (go.code() != 354) {
        accepted.forEach(r -> results.put(r, result(r, go)));
        return Future.succeededFuture();
      }
      DotStuffer stuffer = new DotStuffer();
      ContentSource spooled = ContentSource.ofFile(Path.of(job.contentFile()), job.contentOffset(), job.contentLength());
      return (job.prependHeaders() == null ? spooled
          : ContentSource.concat(ContentSource.ofBuffer(Buffer.buffer(job.prependBytes())), spooled))
          .stream(vertx, chunk -> c.write(stuffer.encode(chunk)))
          .compose(v -> c.write(stuffer.finish()))
          .compose(v -> perRecipientReplies(c, accepted, 0, results));
    });
  }

  /** RFC 2033 §4.2: after the final ".", one reply for each accepted RCPT, in the same order. */
  private Future<Void> perRecipientReplies(LmtpConnection c, List<String> accepted, int index,
                                           Map<String, DeliveryReport.Result> results) {
    if (index == accepted.size()) {
      return Future.succeededFuture();
    }
    return c.reply().compose(reply -> {
      results.put(accepted.get(index), result(accepted.get(index), reply));
      return perRecipientReplies(c, accepted, index + 1, results);
    });
  }

  /** A refused greeting, LHLO or MAIL ends the session: that reply is every recipient's result. */
  private static boolean expect(ServerReply reply, int klass, LocalJob job, Map<String, DeliveryReport.Result> results) {
    if (reply.code() / 100 == klass) {
      return true;
    }
    job.recipients().forEach(r -> results.put(r, result(r, reply)));
    return false;
  }

  private static DeliveryReport.Result result(String rcpt, ServerReply reply) {
    String status = reply.enhancedStatus() != null ? reply.enhancedStatus()
        : reply.code() / 100 + ".0.0";
    return new DeliveryReport.Result(rcpt, LocalResults.outcomeOf(reply.code()), reply.code(), status,
        reply.text().isEmpty() ? "(no text)" : reply.text(), true);
  }

  private static Future<Void> quit(LmtpConnection c) {
    // Best effort: the outcomes are known, QUIT only tells the server we are done.
    return c.command("QUIT").transform(x -> c.close()).recover(e -> Future.succeededFuture());
  }

  private static Stopped stopped() {
    return new Stopped();
  }

  /** The session ended early with every recipient's result already recorded. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }
}
