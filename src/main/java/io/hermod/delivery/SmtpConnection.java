package io.hermod.delivery;

import io.hermod.smtp.ReplyParser;
import io.hermod.smtp.ServerReply;
import io.hermod.smtp.SmtpProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The socket side of an outbound session: turns incoming bytes into replies, hands them out one at a time
 * with a per-stage timeout, and writes with write-queue backpressure. Every failure (timeout, drop,
 * malformed reply) closes the socket and fails whatever is waiting with a {@link SmtpClientException};
 * once failed, every later call fails the same way. Runs on the session's context only.
 */
final class SmtpConnection {

  // More unread replies than this means the server talks without being asked: not SMTP.
  private static final int MAX_QUEUED_REPLIES = 1000;

  /** RFC 3207 §4: after the reply to STARTTLS, plaintext from the server is not trusted. */
  private enum ReadMode { NORMAL, STARTTLS_REPLY, DISCARD }

  private final Vertx vertx;
  private final NetSocket socket;
  private final ReplyParser parser;
  private final Deque<ServerReply> replies = new ArrayDeque<>();
  private Promise<ServerReply> replyWaiter;
  private Promise<Void> drainWaiter;
  private Stage waitingStage;
  /**
   * The reply or drain being waited for must come by {@code deadline} (System.nanoTime; 0 = nothing waited for).
   * One Vert.x timer per connection checks it, re-armed only when it fires early or would fire too late: a timer
   * set and cancelled per command (five per message) was ~1 % of the CPU per relayed message (issue #17).
   */
  private long deadline;
  private long deadlineTimeoutMs;
  private Stage deadlineStage;
  private long timerId = -1;
  private long timerFiresAt;
  private volatile boolean closed; // read by isUsable() from any thread
  private ReadMode readMode = ReadMode.NORMAL;
  private SmtpClientException failure;

  SmtpConnection(Vertx vertx, NetSocket socket, ClientOptions options) {
    this.vertx = vertx;
    this.socket = socket;
    this.parser = new ReplyParser(options.maxReplyLineLength(), options.maxReplyLines());
    socket.handler(this::onBytes);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(t -> fail(new SmtpClientException(SmtpClientException.Kind.CONNECTION_DROPPED,
        stageOrUnknown(), null, String.valueOf(t.getMessage()), t)));
  }

  boolean isOpen() {
    return !closed;
  }

  boolean isTls() {
    return socket.isSsl();
  }

  /** The TLS session after {@link #upgradeToTls}, else null. */
  javax.net.ssl.SSLSession sslSession() {
    return socket.isSsl() ? socket.sslSession() : null;
  }

  /** The chain the server presented in the handshake, leaf first; empty when there is none. */
  java.security.cert.X509Certificate[] peerChain() {
    try {
      return socket.peerCertificates().stream().filter(c -> c instanceof java.security.cert.X509Certificate)
          .map(c -> (java.security.cert.X509Certificate) c).toArray(java.security.cert.X509Certificate[]::new);
    } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException e) {
      return new java.security.cert.X509Certificate[0];
    }
  }

  /** The next reply; fails with TIMEOUT after {@code timeoutMs}, or at once if the connection is gone. */
  Future<ServerReply> readReply(Stage stage, long timeoutMs) {
    if (replyWaiter == null && drainWaiter == null) {
      waitingStage = stage;
    }
    if (!replies.isEmpty()) {
      return Future.succeededFuture(replies.poll());
    }
    if (closed) {
      return Future.failedFuture(failureAt(stage));
    }
    if (replyWaiter != null || drainWaiter != null) {
      return Future.failedFuture(new IllegalStateException("already waiting at " + waitingStage));
    }
    replyWaiter = Promise.promise();
    arm(stage, timeoutMs);
    return replyWaiter.future();
  }

  /** Writes; the future completes at once unless the write queue is full, then when it drains. */
  Future<Void> write(Buffer data, Stage stage, long drainTimeoutMs) {
    if (closed) {
      return Future.failedFuture(failureAt(stage));
    }
    waitingStage = stage;
    socket.write(data).onFailure(t -> fail(new SmtpClientException(SmtpClientException.Kind.CONNECTION_DROPPED,
        stage, null, "write failed: " + t.getMessage(), t)));
    if (!socket.writeQueueFull() || closed) {
      return closed ? Future.failedFuture(failureAt(stage)) : Future.succeededFuture();
    }
    drainWaiter = Promise.promise();
    Promise<Void> waiter = drainWaiter;
    socket.drainHandler(v -> {
      if (drainWaiter == waiter) {
        disarm();
        drainWaiter = null;
        waiter.tryComplete();
      }
    });
    arm(stage, drainTimeoutMs);
    return waiter.future();
  }

  Future<Void> write(String command, Stage stage, long drainTimeoutMs) {
    return write(Buffer.buffer(command), stage, drainTimeoutMs);
  }

  /** Call before writing STARTTLS: the reply is read, and if it is 220 whatever follows is dropped. */
  void expectStartTlsReply() {
    readMode = ReadMode.STARTTLS_REPLY;
  }

  /**
   * Upgrades to TLS (RFC 3207). Replies or partial replies that arrived before the handshake are dropped:
   * the server cannot have sent them legitimately, and trusting them would let an attacker inject replies.
   */
  Future<Void> upgradeToTls(ClientSSLOptions sslOptions, String serverName) {
    replies.clear();
    parser.reset();
    readMode = ReadMode.NORMAL;
    return socket.upgradeToSsl(sslOptions, serverName);
  }

  /** Fails what is pending with {@code error} and closes the socket (idempotent; the first error wins). */
  void fail(SmtpClientException error) {
    if (failure == null) {
      failure = error;
    }
    closeQuietly();
    failWaiters(failure);
  }

  /** Closes without an error (after QUIT, or when the caller is done). */
  /** Closes the socket; the future completes once it is closed (a connection slot is free only then). */
  Future<Void> close() {
    if (failure == null) {
      failure = new SmtpClientException(SmtpClientException.Kind.CONNECTION_DROPPED, stageOrUnknown(), null,
          "connection closed by client", null);
    }
    Future<Void> closing = closeQuietly();
    failWaiters(failure);
    return closing;
  }

  private Future<Void> closeQuietly() {
    if (!closed) {
      closed = true;
      return socket.close();
    }
    return Future.succeededFuture();
  }

  private void onBytes(Buffer chunk) {
    if (readMode == ReadMode.DISCARD) {
      return;
    }
    try {
      if (readMode == ReadMode.STARTTLS_REPLY) {
        List<ServerReply> got = parser.feed(chunk.getBytes(), 1);
        if (!got.isEmpty()) {
          readMode = got.get(0).code() == 220 ? ReadMode.DISCARD : ReadMode.NORMAL;
          if (readMode == ReadMode.DISCARD) {
            parser.reset();
          }
        }
        replies.addAll(got);
      } else {
        replies.addAll(parser.feed(chunk));
      }
    } catch (SmtpProtocolException e) {
      fail(new SmtpClientException(SmtpClientException.Kind.PROTOCOL_ERROR, stageOrUnknown(), null, e.getMessage(), e));
      return;
    }
    if (replies.size() > MAX_QUEUED_REPLIES) {
      fail(new SmtpClientException(SmtpClientException.Kind.PROTOCOL_ERROR, stageOrUnknown(), null,
          "too many unsolicited replies", null));
      return;
    }
    if (replyWaiter != null && !replies.isEmpty()) {
      Promise<ServerReply> waiter = replyWaiter;
      replyWaiter = null;
      disarm();
      waiter.complete(replies.poll());
    }
  }

  private void onClosed() {
    if (!closed) {
      closed = true;
      if (failure == null) {
        failure = new SmtpClientException(SmtpClientException.Kind.CONNECTION_DROPPED, stageOrUnknown(), null,
            "connection closed by server", null);
      }
    }
    // Replies that came before the close are still handed out (e.g. "421 closing"); waiters fail.
    failWaiters(failure);
  }

  private void arm(Stage stage, long timeoutMs) {
    waitingStage = stage;
    long now = System.nanoTime();
    deadline = now + timeoutMs * 1_000_000L;
    deadlineTimeoutMs = timeoutMs;
    deadlineStage = stage;
    if (timerId >= 0 && timerFiresAt - deadline > 0) {
      vertx.cancelTimer(timerId); // would fire after the new, shorter deadline
      timerId = -1;
    }
    if (timerId < 0) {
      schedule(deadline - now);
    }
  }

  private void schedule(long delayNanos) {
    timerFiresAt = System.nanoTime() + delayNanos;
    timerId = vertx.setTimer(Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> onTimer());
  }

  private void onTimer() {
    timerId = -1;
    if (deadline == 0) {
      return; // nothing waited for: the next arm sets a timer again
    }
    long left = deadline - System.nanoTime();
    if (left > 0) {
      schedule(left); // the deadline moved on since this timer was set
      return;
    }
    deadline = 0;
    fail(new SmtpClientException(SmtpClientException.Kind.TIMEOUT, deadlineStage, null,
        "no answer within " + deadlineTimeoutMs + " ms", null));
  }

  /** Nothing is waited for any more; a pending timer stays (the next arm reuses it) until the connection closes. */
  private void disarm() {
    deadline = 0;
  }

  private void cancelTimer() {
    deadline = 0;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId); // a closed connection must not stay reachable from a timer
      timerId = -1;
    }
  }

  private void failWaiters(SmtpClientException error) {
    cancelTimer();
    if (replyWaiter != null) {
      Promise<ServerReply> w = replyWaiter;
      replyWaiter = null;
      w.tryFail(retarget(error, waitingStage));
    }
    if (drainWaiter != null) {
      Promise<Void> w = drainWaiter;
      drainWaiter = null;
      w.tryFail(retarget(error, waitingStage));
    }
  }

  private SmtpClientException failureAt(Stage stage) {
    return retarget(failure, stage);
  }

  // A drop noticed while waiting at stage X is reported as happening at X.
  private static SmtpClientException retarget(SmtpClientException e, Stage stage) {
    if (stage == null || e.stage() == stage || e.kind() != SmtpClientException.Kind.CONNECTION_DROPPED) {
      return e;
    }
    return new SmtpClientException(e.kind(), stage, e.reply(), "connection closed", e);
  }

  private Stage stageOrUnknown() {
    return waitingStage == null ? Stage.CONNECT : waitingStage;
  }
}
