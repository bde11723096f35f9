package io.hermod.delivery;

import io.hermod.smtp.DotStuffer;
import io.hermod.smtp.EhloCapabilities;
import io.hermod.smtp.ExtensionParams;
import io.hermod.smtp.ServerReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one mail transaction (MAIL, RCPT..., DATA or BDAT) over an established connection.
 *
 * <p>With PIPELINING and DATA, the envelope of the transaction that follows on the same connection (a delivery
 * batch's next message) may go out in the same write as this one's end of data: RFC 2920 §3.1 lets message content
 * be the first "command" of a group, and MAIL, RCPT and a last DATA follow it, as Exim does. The next transaction
 * then costs one round trip instead of two; it is run with {@link #resume}, which reads the replies without
 * writing the envelope again.
 */
final class TransactionRunner {

  private static final int SERVICE_CLOSING = 421;

  private final Vertx vertx;
  private final SmtpConnection connection;
  private final StageTimeouts timeouts;
  private final EhloCapabilities caps;
  private boolean closing;
  /** The transaction whose envelope went out after this one's end of data, or null. */
  private Transaction sentAhead;

  TransactionRunner(Vertx vertx, SmtpConnection connection, ClientOptions options, EhloCapabilities caps) {
    this.vertx = vertx;
    this.connection = connection;
    this.timeouts = options.timeouts();
    this.caps = caps;
  }

  /** The replies to the envelope commands; {@code dataInit} is null with BDAT or when DATA was not sent. */
  private record Envelope(ServerReply mail, List<ServerReply> rcpts, ServerReply dataInit) {
  }

  Future<TransactionResult> run(Transaction tx) {
    return run(tx, null);
  }

  /**
   * Runs {@code tx}; {@code next}, when not null, is asked for the transaction to follow on this connection, and
   * its envelope goes out with this one's end of data if the server allows ({@link #sentAhead()} then says so).
   */
  Future<TransactionResult> run(Transaction tx, Supplier<Transaction> next) {
    ServerReply refusal = localRefusal(tx);
    if (refusal != null) {
      return Future.succeededFuture(new TransactionResult(null, outcomes(tx, r -> refusal), null, true));
    }
    boolean bdat = caps.chunking();
    Future<Envelope> envelope = caps.pipelining() ? pipelined(tx, bdat, true) : stepwise(tx, bdat);
    return envelope.compose(env -> afterEnvelope(tx, env, bdat, next));
  }

  /**
   * Runs {@code tx}, whose envelope an earlier runner on this connection sent after its end of data
   * ({@link #sentAhead()}): its replies are read, nothing is written again; {@code next} as in {@link #run}.
   */
  Future<TransactionResult> resume(Transaction tx, Supplier<Transaction> next) {
    return pipelined(tx, false, false).compose(env -> afterEnvelope(tx, env, false, next));
  }

  /** The transaction whose MAIL, RCPT and DATA went out after this one's end of data; null if none did. */
  Transaction sentAhead() {
    return sentAhead;
  }

  /** Refusals decided before sending anything. */
  private ServerReply localRefusal(Transaction tx) {
    if (tx.needsSmtpUtf8() && !caps.smtpUtf8()) {
      // RFC 6531 §3.2: a message that needs SMTPUTF8 cannot go to a server that does not offer it.
      return ServerReply.local(553, "5.6.7", "SMTPUTF8 is required, but was not offered by the host");
    }
    if (ExtensionParams.requiresTls(tx.mailParams()) && !(connection.isTls() && caps.has("REQUIRETLS"))) {
      // RFC 8689 §4.2.1: a REQUIRETLS message goes only to a next hop that offers REQUIRETLS over TLS; else it fails.
      return ServerReply.local(550, "5.7.30", "REQUIRETLS support required, but "
          + (connection.isTls() ? "the host did not offer REQUIRETLS" : "the session is not encrypted"));
    }
    long limit = caps.sizeLimit();
    if (limit > 0 && tx.size() > limit) {
      // RFC 1870 §6: do not send a message larger than the announced SIZE.
      return ServerReply.local(552, "5.3.4", "message size " + tx.size() + " exceeds the host's limit of " + limit);
    }
    return null;
  }

  private String mailCommand(Transaction tx) {
    StringBuilder sb = new StringBuilder("MAIL FROM:<").append(tx.sender()).append('>');
    if (caps.size()) {
      sb.append(" SIZE=").append(tx.size());
    }
    String params = ExtensionParams.forMail(tx.mailParams(), caps);
    if (!params.isEmpty()) {
      sb.append(' ').append(params);
    }
    return sb.append("\r\n").toString();
  }

  private String rcptCommand(TxRecipient r) {
    String params = ExtensionParams.forRcpt(r.rcptParams(), caps);
    return "RCPT TO:<" + r.address() + ">" + (params.isEmpty() ? "" : " " + params) + "\r\n";
  }

  /** RFC 2920: MAIL, every RCPT and DATA in one group. */
  private String envelopeGroup(Transaction tx, boolean bdat) {
    StringBuilder batch = new StringBuilder(mailCommand(tx));
    tx.recipients().forEach(r -> batch.append(rcptCommand(r)));
    if (!bdat) {
      batch.append("DATA\r\n");
    }
    return batch.toString();
  }

  /** RFC 2920: MAIL, every RCPT and DATA in one write (unless already written), replies read in order. */
  private Future<Envelope> pipelined(Transaction tx, boolean bdat, boolean write) {
    int n = tx.recipients().size();
    Future<Void> written = write ? connection.write(envelopeGroup(tx, bdat), Stage.MAIL, timeouts.mailMs())
        : Future.succeededFuture();
    return written
        .compose(v -> read(Stage.MAIL, timeouts.mailMs(), null))
        .compose(mail -> readRcpts(n, new ArrayList<>(), mail)
            .compose(rcpts -> (bdat ? Future.<ServerReply>succeededFuture(null)
                : read(Stage.DATA, timeouts.dataInitMs(), rcpts.isEmpty() ? mail : rcpts.get(n - 1)))
                .map(data -> new Envelope(mail, rcpts, data))));
  }

  private Future<List<ServerReply>> readRcpts(int n, List<ServerReply> got, ServerReply previous) {
    if (got.size() == n) {
      return Future.succeededFuture(got);
    }
    return read(Stage.RCPT, timeouts.rcptMs(), previous).compose(reply -> {
      got.add(reply);
      return readRcpts(n, got, reply);
    });
  }

  /** Without PIPELINING: one command, one reply; stop at a refused MAIL. */
  private Future<Envelope> stepwise(Transaction tx, boolean bdat) {
    return command(mailCommand(tx), Stage.MAIL, timeouts.mailMs()).compose(mail -> {
      if (!mail.isPositive() || closing) {
        return Future.succeededFuture(new Envelope(mail, Collections.nCopies(tx.recipients().size(), mail), null));
      }
      return stepRcpts(tx.recipients(), new ArrayList<>()).compose(rcpts -> {
        boolean anyAccepted = rcpts.stream().anyMatch(ServerReply::isPositive);
        if (closing || !anyAccepted || bdat) {
          return Future.succeededFuture(new Envelope(mail, rcpts, null));
        }
        return command("DATA\r\n", Stage.DATA, timeouts.dataInitMs()).map(data -> new Envelope(mail, rcpts, data));
      });
    });
  }

  private Future<List<ServerReply>> stepRcpts(List<TxRecipient> rcpts, List<ServerReply> got) {
    if (got.size() == rcpts.size()) {
      return Future.succeededFuture(got);
    }
    if (closing) {
      got.add(got.get(got.size() - 1)); // the 421 answers for everyone left
      return stepRcpts(rcpts, got);
    }
    return command(rcptCommand(rcpts.get(got.size())), Stage.RCPT, timeouts.rcptMs()).compose(reply -> {
      got.add(reply);
      return stepRcpts(rcpts, got);
    });
  }

  private Future<TransactionResult> afterEnvelope(Transaction tx, Envelope env, boolean bdat,
                                                  Supplier<Transaction> next) {
    boolean mailOk = env.mail().isPositive();
    List<ServerReply> replies = new ArrayList<>();
    for (ServerReply r : env.rcpts()) {
      replies.add(mailOk ? r : env.mail());
    }
    boolean anyAccepted = mailOk && replies.stream().anyMatch(ServerReply::isPositive);
    if (closing) {
      return done(tx, env.mail(), replies, null, false);
    }
    if (!anyAccepted) {
      return abandon(tx, env, replies);
    }
    if (!bdat && env.dataInit().code() != 354) {
      // DATA refused: the accepted recipients get its reply; the envelope is still open, so RSET.
      replaceAccepted(replies, env.dataInit());
      return rset().compose(ok -> done(tx, env.mail(), replies, null, ok));
    }
    Future<ServerReply> end = bdat ? sendBdat(tx) : sendData(tx, next);
    return end.compose(endReply -> {
      replaceAccepted(replies, endReply);
      return done(tx, env.mail(), replies, endReply, endReply.code() != SERVICE_CLOSING);
    });
  }

  /**
   * No recipient accepted: the body is not sent. If a pipelined DATA was nonetheless answered 354, end it
   * with an empty message (RFC 2920 §3.1), then RSET so the connection can be reused.
   */
  private Future<TransactionResult> abandon(Transaction tx, Envelope env, List<ServerReply> replies) {
    Future<Void> endEmptyData = env.dataInit() != null && env.dataInit().code() == 354
        ? command(".\r\n", Stage.DATA_END, timeouts.dataEndMs()).mapEmpty()
        : Future.succeededFuture();
    return endEmptyData.compose(v -> closing ? Future.succeededFuture(false) : rset())
        .compose(ok -> done(tx, env.mail(), replies, null, ok));
  }

  /**
   * The body dot-stuffed, then the end of data. Each chunk is written when the next one comes, so that the last
   * (for most mail the only one) goes out with the end marker in one write: one packet, and one wakeup of the
   * server fewer, per message (issue #17: latency). A big last chunk is not copied for that.
   */
  private Future<ServerReply> sendData(Transaction tx, Supplier<Transaction> next) {
    DotStuffer stuffer = new DotStuffer();
    Buffer[] held = new Buffer[1];
    return streamBody(tx, chunk -> {
      Buffer previous = held[0];
      held[0] = stuffer.encode(chunk);
      return previous;
    }).compose(v -> {
      Buffer last = held[0];
      Buffer end = withNextEnvelope(stuffer.finish(), next);
      if (last == null) {
        return connection.write(end, Stage.DATA_BLOCK, timeouts.dataBlockMs());
      }
      if (last.length() <= JOIN_LAST_CHUNK_BYTES) {
        Buffer joined = Buffer.buffer(last.length() + end.length()).appendBuffer(last).appendBuffer(end);
        return connection.write(joined, Stage.DATA_BLOCK, timeouts.dataBlockMs());
      }
      return connection.write(last, Stage.DATA_BLOCK, timeouts.dataBlockMs())
          .compose(w -> connection.write(end, Stage.DATA_BLOCK, timeouts.dataBlockMs()));
    }).compose(v -> read(Stage.DATA_END, timeouts.dataEndMs(), null));
  }

  /**
   * The end of data, followed by the next transaction's envelope when there is one that the server may get now:
   * it offered PIPELINING (RFC 2920 §3.1), and nothing refuses the next transaction before sending (its size, or
   * SMTPUTF8 or REQUIRETLS it needs). That transaction is then {@link #sentAhead()}.
   */
  private Buffer withNextEnvelope(Buffer end, Supplier<Transaction> next) {
    if (next == null || !caps.pipelining() || closing) {
      return end;
    }
    Transaction following = next.get();
    if (following == null || localRefusal(following) != null) {
      return end;
    }
    sentAhead = following;
    return end.appendString(envelopeGroup(following, false));
  }

  /** A last chunk up to this size is copied to go out with the end marker; a bigger one is written alone. */
  static final int JOIN_LAST_CHUNK_BYTES = 16 * 1024;

  /** RFC 3030: one "BDAT n LAST" chunk with the raw bytes (no dot-stuffing). */
  private Future<ServerReply> sendBdat(Transaction tx) {
    long length = tx.content().length();
    return connection.write("BDAT " + length + " LAST\r\n", Stage.DATA_BLOCK, timeouts.dataBlockMs())
        .compose(v -> streamBody(tx, Function.identity()))
        .compose(v -> read(Stage.DATA_END, timeouts.dataEndMs(), null));
  }

  private Future<Void> streamBody(Transaction tx, Function<Buffer, Buffer> encode) {
    return tx.content().stream(vertx, chunk -> {
          Buffer out = encode.apply(chunk); // null: nothing to write yet (sendData holds a chunk back)
          return out == null ? Future.succeededFuture()
              : connection.write(out, Stage.DATA_BLOCK, timeouts.dataBlockMs());
        })
        .recover(t -> {
          if (t instanceof SmtpClientException) {
            return Future.failedFuture(t);
          }
          // Half a message is on the wire: the only safe way out is to drop the connection.
          SmtpClientException e = new SmtpClientException(SmtpClientException.Kind.CONTENT_FAILED, Stage.DATA_BLOCK,
              null, "reading the message failed: " + t.getMessage(), t);
          connection.fail(e);
          return Future.failedFuture(e);
        });
  }

  private Future<Boolean> rset() {
    return command("RSET\r\n", Stage.RSET, timeouts.rsetMs()).map(r -> r.code() == 250 && !closing);
  }

  private Future<TransactionResult> done(Transaction tx, ServerReply mail, List<ServerReply> replies,
                                         ServerReply dataReply, boolean usable) {
    List<RecipientResult> results = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      results.add(new RecipientResult(tx.recipients().get(i), replies.get(i)));
    }
    return Future.succeededFuture(new TransactionResult(mail, results, dataReply,
        usable && !closing && connection.isOpen()));
  }

  private static void replaceAccepted(List<ServerReply> replies, ServerReply with) {
    replies.replaceAll(r -> r.isPositive() ? with : r);
  }

  private static List<RecipientResult> outcomes(Transaction tx, Function<TxRecipient, ServerReply> reply) {
    return tx.recipients().stream().map(r -> new RecipientResult(r, reply.apply(r))).toList();
  }

  private Future<ServerReply> command(String line, Stage stage, long timeoutMs) {
    return connection.write(line, stage, timeoutMs).compose(v -> read(stage, timeoutMs, null));
  }

  /**
   * Reads the next reply. After a 421 (RFC 5321 §3.8: the server is closing) nothing more comes: the
   * same 421 stands in for every reply still expected.
   */
  private Future<ServerReply> read(Stage stage, long timeoutMs, ServerReply previous) {
    if (closing && previous != null) {
      return Future.succeededFuture(previous);
    }
    return connection.readReply(stage, timeoutMs).map(reply -> {
      if (reply.code() == SERVICE_CLOSING) {
        closing = true;
      }
      return reply;
    });
  }
}
