package io.hermod.delivery;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.TlsRequest;
import io.hermod.spool.Recipient;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds delivery status notifications: RFC 3462 multipart/report; report-type=delivery-status with the
 * RFC 3464 fields, or the RFC 6533 message/global-* types when the original needed SMTPUTF8. Pure: no I/O,
 * and the original message body is never read here (see {@link DsnMessage}). See docs/delivery.md.
 */
public final class DsnBuilder {

  private final DsnIdentifiers ids;

  public DsnBuilder(DsnIdentifiers ids) {
    this.ids = ids;
  }

  public DsnMessage build(DsnRequest req) {
    Envelope env = req.original();
    if (env.isBounce()) {
      throw new IllegalArgumentException("never bounce a bounce: " + env.id() + " has the null sender");
    }
    boolean utf8 = needsUtf8(env, req.reports());
    ReportKind kind = ReportKind.of(req.reports());
    IncludeOriginal include = include(env, kind, req.originalHeaders());
    boolean eightBitHeaders = include != IncludeOriginal.NONE && hasEightBit(req.originalHeaders());
    String boundary = ids.boundary();

    CrlfWriter w = new CrlfWriter();
    w.field("From", "Mail Delivery System <MAILER-DAEMON@" + host(req) + ">");
    w.field("To", "<" + SafeText.token(env.sender(), utf8) + ">");
    w.field("Subject", kind.subject());
    w.field("Date", MailDate.format(req.now()));
    w.field("Message-ID", "<" + ids.messageIdLocalPart() + "@" + host(req) + ">");
    w.field("Auto-Submitted", "auto-replied"); // RFC 3834 §5: keeps auto-responders from answering it
    w.field("MIME-Version", "1.0");
    w.field("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"");
    w.blank();
    w.line("This is a MIME-encapsulated message.");

    String partEncoding = utf8 ? "8bit" : null;
    openPart(w, boundary, "Notification", "text/plain; charset=" + (utf8 ? "utf-8" : "us-ascii"), partEncoding);
    HumanReadableReport.write(w, req, kind, include, utf8);

    openPart(w, boundary, "Delivery report",
        utf8 ? "message/global-delivery-status" : "message/delivery-status", partEncoding);
    DeliveryStatusFields.write(w, req, utf8);

    BodyType body = utf8 || eightBitHeaders ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT;
    switch (include) {
      case HEADERS -> {
        openPart(w, boundary, kind == ReportKind.FAILURE ? "Undelivered Message Headers" : "Message Headers",
            utf8 ? "message/global-headers" : "text/rfc822-headers", body == BodyType.SEVEN_BIT ? null : "8bit");
        w.raw(req.originalHeaders());
        if (!endsWithCrlf(req.originalHeaders())) {
          w.blank();
        }
      }
      case FULL -> {
        body = fullBody(env.body(), body);
        // RFC 2046 §5.2.1: message/rfc822 may only be 7bit, 8bit or binary; it says what the original is.
        String encoding = switch (body) {
          case SEVEN_BIT -> null;
          case EIGHT_BIT_MIME -> "8bit";
          case BINARY_MIME -> "binary";
        };
        openPart(w, boundary, "Undelivered Message", utf8 ? "message/global" : "message/rfc822", encoding);
      }
      case NONE -> { }
    }
    byte[] head = w.toByteArray();
    // The CRLF before "--" belongs to the delimiter (RFC 2046 §5.1.1): the last part keeps its own CRLF.
    byte[] tail = new CrlfWriter().blank().line("--" + boundary + "--").toByteArray();
    return new DsnMessage(head, include, tail, body, utf8);
  }

  /**
   * Whether a DSN with {@code action} is owed for recipient {@code r} (RFC 3461 §4.1, §6.1).
   * Never for a message with the null sender: a bounce is never bounced (RFC 5321 §4.5.5).
   * NEVER suppresses everything. With no NOTIFY the default is FAILURE,DELAY; SUCCESS only when asked.
   */
  public static boolean shouldReport(Envelope env, Recipient r, DsnAction action) {
    if (env.isBounce()) {
      return false;
    }
    Set<DsnNotify> notify = r.notifyOn();
    if (notify.contains(DsnNotify.NEVER)) {
      return false;
    }
    return switch (action) {
      case FAILED -> notify.isEmpty() || notify.contains(DsnNotify.FAILURE);
      case DELAYED -> notify.isEmpty() || notify.contains(DsnNotify.DELAY);
      case DELIVERED, RELAYED, EXPANDED -> notify.contains(DsnNotify.SUCCESS);
    };
  }

  /**
   * The envelope to spool a DSN under: the null sender (so it can never cause another DSN), the original
   * sender as its only recipient with NOTIFY=NEVER, no ENVID or RET, the BODY and SMTPUTF8 the DSN needs,
   * listener "local", no client address or HELO (generated here). The spool sets the size at commit. A DSN about
   * a REQUIRETLS message is REQUIRETLS itself (RFC 8689 §5: it carries the original's headers, which had the
   * sender's protection).
   */
  public static Envelope bounceEnvelope(String id, Envelope original, DsnMessage dsn, Instant now) {
    if (original.isBounce()) {
      throw new IllegalArgumentException("never bounce a bounce: " + original.id() + " has the null sender");
    }
    Recipient to = Recipient.pending(original.sender(), null, EnumSet.of(DsnNotify.NEVER));
    return new Envelope(id, "", List.of(to), null, null, dsn.body(), dsn.smtpUtf8(), null, null, null,
        "local", now, 0L, now, false, false).withTlsRequest(
            original.tlsRequest() == TlsRequest.REQUIRETLS ? TlsRequest.REQUIRETLS : TlsRequest.DEFAULT);
  }

  /**
   * RFC 3461 §4.3: RET=FULL returns the whole message in a failure DSN. Without RET we return only the
   * headers (the RFC leaves it to the MTA; Postfix returns the full message): cheaper, and it does not
   * mail a possibly large or sensitive body back. Delay and success reports carry the headers only, and so do
   * failure reports about a REQUIRETLS message (RFC 8689 §5: its body is not sent back even with RET=FULL,
   * should the DSN's own way back be less protected).
   */
  private static IncludeOriginal include(Envelope env, ReportKind kind, byte[] headers) {
    if (kind == ReportKind.FAILURE && env.ret() == DsnRet.FULL && env.tlsRequest() != TlsRequest.REQUIRETLS) {
      return IncludeOriginal.FULL;
    }
    return headers == null ? IncludeOriginal.NONE : IncludeOriginal.HEADERS;
  }

  /** RFC 6533: global types when the original used SMTPUTF8 or an address we report is not ASCII. */
  private static boolean needsUtf8(Envelope env, List<RecipientReport> reports) {
    if (env.smtpUtf8() || !SafeText.isAscii(env.sender())) {
      return true;
    }
    return reports.stream().anyMatch(r -> !SafeText.isAscii(r.recipient().address())
        || !SafeText.isAscii(r.recipient().orcpt()));
  }

  private static BodyType fullBody(BodyType original, BodyType parts) {
    if (original == BodyType.BINARY_MIME) {
      return BodyType.BINARY_MIME;
    }
    return original == BodyType.EIGHT_BIT_MIME ? BodyType.EIGHT_BIT_MIME : parts;
  }

  /** A delimiter line and the part's header fields, up to and including the blank line. */
  private static void openPart(CrlfWriter w, String boundary, String description, String type,
                               String transferEncoding) {
    w.blank();
    w.line("--" + boundary);
    w.field("Content-Description", description);
    w.field("Content-Type", type);
    if (transferEncoding != null) {
      w.field("Content-Transfer-Encoding", transferEncoding);
    }
    w.blank();
  }

  private static String host(DsnRequest req) {
    return SafeText.token(req.reportingMta(), false);
  }

  private static boolean hasEightBit(byte[] bytes) {
    if (bytes == null) {
      return false;
    }
    for (byte b : bytes) {
      if (b < 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithCrlf(byte[] bytes) {
    int n = bytes.length;
    return n >= 2 && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
  }
}
