package io.hermod.server;

import io.hermod.config.Limits;
import io.hermod.dkim.InboundAuthentication;
import io.hermod.dkim.MessageDkim;
import io.hermod.smtp.ArrayView;
import io.hermod.smtp.AuthResultsFilter;
import io.hermod.smtp.ContentScanner;
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
 * <p>
 * The content is read once ({@link ContentScanner} decodes and checks in one pass) and not copied on the way:
 * DKIM hashing reads the input array, and the spool writer gets views of it ({@link MessageWriter#writeImmutable}),
 * which it may keep (the {@link InputBuffer} never changes a byte it holds).
 */
final class MessageReceiver {

  private final MessageWriter writer;
  private final ContentScanner scanner;
  private final Limits limits;
  private final ContentScanner.ContentSink sink = this::accept;
  private Future<Void> pending; // the last write of this read that did not complete at once
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
    int base = in.arrayOffset();
    pending = null;
    int next = scanner.decodeData(in.array(), base + in.position(), base + in.end(), sink);
    in.consumeTo(next - base);
    checkLimits();
    return pending;
  }

  boolean dataEnded() {
    return scanner.dataEnded();
  }

  /**
   * Consumes up to {@code max} raw BDAT bytes (RFC 3030: no transparency, the count frames the chunk).
   *
   * @return a pending write, or null
   */
  Future<Void> readChunk(InputBuffer in, long max) {
    int n = (int) Math.min(max, in.available());
    int from = in.arrayOffset() + in.position();
    pending = null;
    scanner.scan(in.array(), from, from + n);
    accept(in.array(), from, from + n);
    in.consumeTo(in.position() + n);
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

  /** Refuses the content once the client's bytes so far break a limit. */
  private void checkLimits() {
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
  }

  /** Content {@code a[from, to)} the scanner checked: hashed and spooled unless the message is refused. */
  private void accept(byte[] a, int from, int to) {
    checkLimits(); // the checks cover every byte up to this run's end: nothing past a broken limit is kept
    if (refusal != null || to == from) {
      return;
    }
    if (auth != null) {
      auth.update(a, from, to); // as received: a forged field may be covered by a signature
    }
    if (forgedResults == null || forgedResults.headerSectionOver()) {
      store(a, from, to);
    } else {
      store(forgedResults.filter(Buffer.buffer().appendBytes(a, from, to - from)));
    }
  }

  private void store(byte[] a, int from, int to) {
    if (dkim != null) {
      dkim.update(a, from, to);
    }
    written(writer.writeImmutable(a, from, to));
  }

  /** Signs (when we sign) and spools content bytes; the size limit was checked on what the client sent. */
  private void store(Buffer content) {
    if (content.length() == 0) {
      return;
    }
    ArrayView bytes = ArrayView.of(content); // a fresh buffer of the filter's: it is ours to keep
    store(bytes.array(), bytes.offset(), bytes.offset() + bytes.length());
  }

  /** Remembers a write that is still pending (the caller waits for it before reading on). */
  private void written(Future<Void> w) {
    if (w.isComplete()) {
      if (w.failed()) {
        fail(w.cause());
      }
      return;
    }
    pending = w.recover(err -> {
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
