package io.hermod.local;

import io.hermod.smtp.ReplyParser;
import io.hermod.smtp.ServerReply;
import io.hermod.smtp.SmtpProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;

/**
 * One client connection to an LMTP server: replies parsed by {@link ReplyParser} and handed out in order,
 * writes that wait for the socket to drain, and a timeout on every wait. Runs on one Vert.x context.
 */
final class LmtpConnection {

  private final Vertx vertx;
  private final NetSocket socket;
  private final long timeoutMs;
  private final ReplyParser parser = new ReplyParser();
  private final ArrayDeque<ServerReply> replies = new ArrayDeque<>();
  private Promise<ServerReply> waiting;
  private Throwable broken;

  LmtpConnection(Vertx vertx, NetSocket socket, long timeoutMs) {
    this.vertx = vertx;
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    socket.handler(this::onBytes);
    socket.exceptionHandler(e -> fail(e));
    socket.closeHandler(v -> fail(new IOException("connection closed by the LMTP server")));
  }

  /** The next reply, or a failure after the timeout or once the connection is gone. */
  Future<ServerReply> reply() {
    if (!replies.isEmpty()) {
      return Future.succeededFuture(replies.poll());
    }
    if (broken != null) {
      return Future.failedFuture(broken);
    }
    Promise<ServerReply> p = Promise.promise();
    waiting = p;
    long timer = vertx.setTimer(timeoutMs, t -> {
      fail(new TimeoutException("no LMTP reply in " + timeoutMs + " ms"));
      socket.close();
    });
    return p.future().onComplete(x -> vertx.cancelTimer(timer));
  }

  /** Writes a command line (CRLF added) and reads its reply. */
  Future<ServerReply> command(String line) {
    return write(Buffer.buffer(line + "\r\n", StandardCharsets.UTF_8.name())).compose(v -> reply());
  }

  /** Completes once the bytes are queued and the write queue is below its limit again (backpressure). */
  Future<Void> write(Buffer data) {
    if (broken != null) {
      return Future.failedFuture(broken);
    }
    socket.write(data);
    if (!socket.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    socket.drainHandler(v -> drained.tryComplete());
    long timer = vertx.setTimer(timeoutMs, t -> {
      fail(new TimeoutException("LMTP server did not read for " + timeoutMs + " ms"));
      drained.tryFail(broken);
      socket.close();
    });
    return drained.future().onComplete(x -> vertx.cancelTimer(timer));
  }

  Future<Void> close() {
    broken = broken == null ? new IOException("closed") : broken;
    return socket.close();
  }

  private void onBytes(Buffer chunk) {
    try {
      for (ServerReply r : parser.feed(chunk)) {
        if (waiting != null) {
          Promise<ServerReply> p = waiting;
          waiting = null;
          p.tryComplete(r);
        } else {
          replies.add(r);
        }
      }
    } catch (SmtpProtocolException e) {
      fail(e);
      socket.close();
    }
  }

  private void fail(Throwable e) {
    if (broken == null) {
      broken = e;
    }
    if (waiting != null) {
      Promise<ServerReply> p = waiting;
      waiting = null;
      p.tryFail(broken);
    }
  }
}
