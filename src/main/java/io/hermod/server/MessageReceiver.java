package io.hermod.server;

import io.hermod.config.Limits;
import io.hermod.dkim.InboundAuthentication;
import io.hermod.dkim.MessageDkim;
import io.hermod.smtp.AuthResultsFilter;
import io.hermod.smtp.ContentScanner;
import io.hermod.smtp.DotDecoder;
import io.hermod.smtp.InputBuffer;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.hermod.spool.MessageWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;

/**
 * Streams one message's content from the connection into a spool writer: DATA (dot-decoded) or BDAT
 * chunks (raw). Checks size, line length, header section size, bare CR/LF and Received count as it goes, on
 * what the client sent (our own header fields do not count). Once the content is
 * refused the writer is aborted and the rest is read and dropped, so the client gets its reply at the end
 * of data (RFC 1870 §6.3) while memory stays bounded.
 */
final class MessageReceiver {

  private final MessageWriter writer;
  private final ContentScanner scanner;
  private final Limits limits;
  private final DotDecoder dots = new DotDecoder();
  private Reply refusal;
  private boolean aborted;
  private MessageDkim dkim; // follows the content when the message is to be DKIM-signed
  private InboundAuthentication auth; // follows the content of mail from other servers (DKIM verification)
  private AuthResultsFilter forgedResults; // removes their Authentication-Results fields that claim our id

  MessageReceiver(MessageWriter writer, Limits limits) {
    this.writer = writer;
    this.limits = limits;
    this.scanner = new ContentScanner(limits.maxMessageSize(), limits.maxLineLength(), limits.maxHeaderBytes());
  }

  /** Writes our own bytes (the Received header) ahead of the content; not counted against the client. */
  void prepend(String text) {
    writer.write(Buffer.buffer(text)).onFailure(this::fail);
  }

  /** Hash the client's content (not our Received header) for a DKIM signature made at the end. */
  void signWith(MessageDkim signer) {
    this.dkim = signer;
  }

  /**
   * Mail from another server: verify its content for our Authentication-Results field (null: nothing to
   * verify), and store it without the Authentication-Results fields that claim our authserv-id (RFC 8601 §5).
   * DKIM verification sees the content as the client sent it, the spool the content without those fields.
   */
  void authenticateWith(InboundAuthentication authentication, String authservId) {
    this.auth = authentication;
    this.forgedResults = new AuthResultsFilter(authservId);
  }

  /**
   * The fields to send in front of the spooled bytes: the Authentication-Results field (once the DKIM key
   * lookups answered) and the DKIM-Signature (RSA-2048 signing takes about a millisecond of CPU: done once
   * here rather than per delivery attempt); null when there are none. Never fails.
   */
  Future<String> prependHeaders(Instant now) {
    String signature = dkim == null || refusal != null ? null : dkim.signature(now);
    if (auth == null || refusal != null) {
      return Future.succeededFuture(signature);
    }
    return auth.header().map(results -> signature == null ? results : results + signature);
  }

  /** Why the content is refused so far, or null. */
  Reply refusal() {
    return refusal;
  }

  /**
   * Consumes DATA bytes up to the end-of-data line.
   *
   * @return a pending write to wait for before reading on, or null to go on at once
   */
  Future<Void> readData(InputBuffer in) {
    Buffer decoded = Buffer.buffer(in.available());
    int next = dots.decode(in.buffer(), in.position(), in.end(), decoded);
    in.consumeTo(next);
    return accept(decoded, 0, decoded.length());
  }

  boolean dataEnded() {
    return dots.ended();
  }

  /**
   * Consumes up to {@code max} raw BDAT bytes (RFC 3030: no transparency, the count frames the chunk).
   *
   * @return a pending write, or null
   */
  Future<Void> readChunk(InputBuffer in, long max) {
    int n = (int) Math.min(max, in.available());
    int from = in.position();
    Future<Void> pending = accept(in.buffer(), from, from + n);
    in.consumeTo(from + n);
    return pending;
  }

  /** The header section has {@code TLS-Required: No} (RFC 8689 §3). */
  boolean tlsNotRequired() {
    return scanner.tlsNotRequired();
  }

  long contentSize() {
    return scanner.size();
  }

  /** A bare CR or LF was seen: the session must answer 521 and close (no reading to the end). */
  boolean bareNewline() {
    return scanner.bareNewline();
  }

  /** After the content is complete: null when the message may be committed, else the reply refusing it. */
  Reply finish() {
    scanner.finish();
    if (forgedResults != null && refusal == null) {
      store(forgedResults.finish()); // a field cut off by the end of the content
    }
    if (refusal == null && scanner.bareNewline()) {
      refusal = Replies.BARE_NEWLINE;
    }
    if (refusal == null && scanner.receivedCount() >= limits.maxReceivedHeaders()) {
      refusal = Replies.MAIL_LOOP;
    }
    if (refusal != null) {
      abort();
    }
    return refusal;
  }

  MessageWriter writer() {
    return writer;
  }

  void abort() {
    if (!aborted) {
      aborted = true;
      writer.abort();
    }
  }

  private Future<Void> accept(Buffer b, int from, int to) {
    scanner.scan(b, from, to);
    if (refusal == null) {
      if (scanner.sizeExceeded()) {
        refusal = Replies.messageTooBig(limits.maxMessageSize());
      } else if (scanner.lineTooLong()) {
        refusal = Replies.lineTooLongInData(limits.maxLineLength());
      } else if (scanner.headerTooBig()) {
        refusal = Replies.headerTooBig(limits.maxHeaderBytes());
      }
      if (refusal != null) {
        abort();
      }
    }
    if (refusal != null || to == from) {
      return null;
    }
    Buffer slice = from == 0 && to == b.length() ? b : b.getBuffer(from, to);
    if (auth != null) {
      byte[] bytes = slice.getBytes();
      auth.update(bytes, 0, bytes.length); // as received: a forged field may be covered by a signature
    }
    return store(forgedResults == null ? slice : forgedResults.filter(slice));
  }

  /** Signs (when we sign) and spools content bytes; the size limit was checked on what the client sent. */
  private Future<Void> store(Buffer content) {
    if (content.length() == 0) {
      return null;
    }
    if (dkim != null) {
      byte[] bytes = content.getBytes();
      dkim.update(bytes, 0, bytes.length);
    }
    Future<Void> w = writer.write(content);
    if (w.isComplete()) {
      if (w.failed()) {
        fail(w.cause());
      }
      return null;
    }
    return w.recover(err -> {
      fail(err);
      return Future.succeededFuture();
    });
  }

  private void fail(Throwable err) {
    if (refusal == null) {
      refusal = SpoolFailures.reply(err);
      abort();
    }
  }
}
