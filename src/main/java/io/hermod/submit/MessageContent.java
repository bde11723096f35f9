package io.hermod.submit;

import io.hermod.api.SubmitFailure;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.mailencoder.MailEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Turns the message part of a submit request into the bytes to spool: exactly one of "raw" (RFC 5322 text,
 * UTF-8), "rawBase64" (the same as octets) or "message" (the Vert.x Mail Client's MailMessage JSON, rendered
 * with its MailEncoder). CPU work on possibly large input: call it off the event loop.
 */
final class MessageContent {

  private MessageContent() {
  }

  /**
   * @param maxSize refuse early, before decoding, input that cannot fit (limits.maxMessageSize)
   * @return the message with CRLF line ends (see {@link LineEndings})
   */
  static byte[] from(JsonObject request, String hostname, long maxSize) {
    Object raw = request.getValue("raw");
    Object rawBase64 = request.getValue("rawBase64");
    Object message = request.getValue("message");
    int given = (raw != null ? 1 : 0) + (rawBase64 != null ? 1 : 0) + (message != null ? 1 : 0);
    if (given != 1) {
      throw SubmitRefused.badRequest("give exactly one of \"raw\", \"rawBase64\" or \"message\"");
    }
    byte[] bytes;
    if (raw != null) {
      String text = string(raw, "raw");
      tooLargeIf(text.length() > maxSize, maxSize); // a UTF-8 string has at least as many octets as chars
      bytes = text.getBytes(StandardCharsets.UTF_8);
    } else if (rawBase64 != null) {
      String b64 = string(rawBase64, "rawBase64");
      tooLargeIf(b64.length() / 4L * 3 > maxSize + 3, maxSize);
      try {
        bytes = Base64.getMimeDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw SubmitRefused.badRequest("rawBase64 is not base64: " + e.getMessage());
      }
    } else if (message instanceof JsonObject structured) {
      bytes = render(structured, hostname).getBytes(StandardCharsets.UTF_8);
    } else {
      throw SubmitRefused.badRequest("\"message\" must be a JSON object (MailMessage shape)");
    }
    if (bytes.length == 0) {
      throw SubmitRefused.badRequest("the message is empty");
    }
    byte[] crlf = LineEndings.toCrlf(bytes);
    tooLargeIf(crlf.length > maxSize, maxSize);
    return crlf;
  }

  /**
   * MailEncoder adds MIME-Version, Message-ID and Date, encodes non-ASCII headers (RFC 2047) and bodies, and
   * leaves out Bcc; {@link MimeText} writes its part tree out (with the multipart close delimiters the
   * encoder's own text forgets). Lines end with LF only, which {@link LineEndings} turns into CRLF. It copies subject and extra header values verbatim, so a line break in them would inject header
   * fields: those are refused here.
   */
  private static String render(JsonObject json, String hostname) {
    MailMessage mail;
    try {
      mail = new MailMessage(withUnixLineEnds(json));
    } catch (RuntimeException e) { // ClassCastException on a wrong type, IllegalArgumentException on bad base64
      throw SubmitRefused.badRequest("bad \"message\": " + e.getMessage());
    }
    if (mail.getFrom() == null || mail.getFrom().isBlank()) {
      throw SubmitRefused.badRequest("\"message.from\" is required (RFC 5322 §3.6.2)");
    }
    noLineBreak("message.subject", mail.getSubject());
    if (mail.getHeaders() != null) {
      for (Map.Entry<String, String> h : mail.getHeaders()) {
        noLineBreak("message.headers", h.getKey());
        noLineBreak("message.headers." + h.getKey(), h.getValue());
      }
    }
    try {
      return MimeText.of(new MailEncoder(mail, hostname).encodeMail());
    } catch (RuntimeException e) { // an address the encoder cannot parse
      throw SubmitRefused.badRequest("bad \"message\": " + e.getMessage());
    }
  }

  /** A CRLF in "text"/"html" would be quoted-printable-encoded as "=0D": the author meant a line break. */
  private static JsonObject withUnixLineEnds(JsonObject json) {
    JsonObject copy = json.copy();
    for (String field : new String[] {"text", "html"}) {
      if (copy.getValue(field) instanceof String s) {
        copy.put(field, s.replace("\r\n", "\n"));
      }
    }
    return copy;
  }

  private static void noLineBreak(String field, String value) {
    if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
      throw SubmitRefused.badRequest("\"" + field + "\" must not contain CR or LF");
    }
  }

  private static String string(Object value, String field) {
    if (value instanceof String s) {
      return s;
    }
    throw SubmitRefused.badRequest("\"" + field + "\" must be a string");
  }

  private static void tooLargeIf(boolean tooLarge, long maxSize) {
    if (tooLarge) {
      throw new SubmitRefused(SubmitFailure.TOO_LARGE, "message exceeds the fixed maximum size of " + maxSize + " octets");
    }
  }
}
