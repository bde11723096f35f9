package io.hermod.submit;

import io.hermod.config.HermodConfig;
import io.hermod.config.Limits;
import java.util.function.Supplier;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.ContentScanner;
import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;
import io.hermod.spool.TlsRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Puts one bus submission into the spool, the way the SMTP listener does for a DATA transaction: validate,
 * prepend our header fields (Received first), stream to a spool writer, commit durably. The decoding and
 * rendering of a possibly large message runs on a worker thread; spool futures come back to the caller's
 * context.
 */
final class Injector {

  /** The envelope's listener name for messages that came over the event bus. */
  static final String LISTENER = "bus";

  private static final int WRITE_CHUNK = 64 * 1024;

  private final Vertx vertx;
  private final Supplier<HermodConfig> config;
  private final Spool spool;
  private final Clock clock;

  /** @param config the configuration in force; each submission reads it once, at its start */
  Injector(Vertx vertx, Supplier<HermodConfig> config, Spool spool, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.spool = spool;
    this.clock = clock;
  }

  /** The committed envelope, or a failure: {@link SubmitRefused} for the request, else the spool's error. */
  Future<Envelope> inject(JsonObject json) {
    HermodConfig config = this.config.get();
    SubmitRequest request;
    try {
      request = SubmitRequest.parse(json, config.limits().maxRecipients(),
          config.delivery().egress().pools().keySet());
    } catch (SubmitRefused e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> checkedContent(config, json), false)
        .compose(checked -> spoolMessage(config, request, checked));
  }

  /** The rendered message, and whether its header section says {@code TLS-Required: No} (RFC 8689 §3). */
  private record Checked(byte[] content, boolean tlsNotRequired) {
  }

  private static Checked checkedContent(HermodConfig config, JsonObject json) {
    Limits limits = config.limits();
    byte[] content = MessageContent.from(json, config.hostname(), limits.maxMessageSize());
    ContentScanner scanner = new ContentScanner(limits.maxMessageSize(), limits.maxLineLength(),
        limits.maxHeaderBytes());
    scanner.scan(content, 0, content.length);
    scanner.finish();
    if (scanner.lineTooLong()) { // RFC 5322 §2.1.1
      throw SubmitRefused.badRequest("a line is longer than " + limits.maxLineLength() + " octets (CRLF included)");
    }
    if (scanner.headerTooBig()) { // as SMTP's 552 5.3.4 (limits.maxHeaderBytes)
      throw SubmitRefused.badRequest("the header section is larger than " + limits.maxHeaderBytes() + " octets");
    }
    if (scanner.receivedCount() >= limits.maxReceivedHeaders()) { // RFC 5321 §6.3
      throw SubmitRefused.badRequest("mail loop: " + scanner.receivedCount() + " Received header fields");
    }
    return new Checked(content, scanner.tlsNotRequired());
  }

  private Future<Envelope> spoolMessage(HermodConfig config, SubmitRequest request, Checked checked) {
    byte[] content = checked.content();
    String id = spool.newId();
    Instant now = clock.instant();
    List<Recipient> recipients = request.recipients().stream()
        .map(r -> Recipient.pending(r.address(), null, request.notifyOn())).toList();
    Envelope envelope = new Envelope(id, request.sender().address(), recipients, request.envid(), request.ret(),
        eightBit(content) ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT, request.needsSmtpUtf8(), null, null,
        null, LISTENER, now, 0, now, false, false).withPool(request.pool())
        .withTlsRequest(TlsRequest.of(request.requireTls(), checked.tlsNotRequired()));
    String headers = LocalHeaders.build(config.hostname(), id, request.tag(), content, now.atZone(ZoneOffset.UTC));
    Buffer message = Buffer.buffer(headers).appendBytes(content);
    MessageWriter writer = spool.begin(envelope);
    return writeFrom(writer, message, 0)
        .onFailure(err -> writer.abort())
        .compose(v -> writer.commit(envelope));
  }

  /**
   * One chunk at a time, the next only once the previous write's future completed (the writer's backpressure
   * contract). Loops while writes complete at once, so a large message does not nest callbacks deeply.
   */
  private static Future<Void> writeFrom(MessageWriter writer, Buffer message, int from) {
    int pos = from;
    while (pos < message.length()) {
      int to = Math.min(message.length(), pos + WRITE_CHUNK);
      Future<Void> written = writer.write(message.getBuffer(pos, to));
      pos = to;
      if (!written.isComplete()) {
        int next = pos;
        return written.compose(v -> writeFrom(writer, message, next));
      }
      if (written.failed()) {
        return written;
      }
    }
    return Future.succeededFuture();
  }

  private static boolean eightBit(byte[] content) {
    for (byte b : content) {
      if (b < 0) {
        return true;
      }
    }
    return false;
  }
}
