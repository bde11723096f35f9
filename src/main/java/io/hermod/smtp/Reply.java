package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, an enhanced status code (RFC 2034, RFC 3463) or null
 * where none is sent (the greeting and the EHLO reply, RFC 2034 §3), and one or more text lines.
 */
public record Reply(int code, String status, List<String> lines) {

  public Reply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line");
    }
  }

  public Reply(int code, String status, String text) {
    this(code, status, List.of(text));
  }

  public boolean isPositive() {
    return code < 400;
  }

  /** 4xx or 5xx. */
  public boolean isError() {
    return code >= 400;
  }

  /** The reply as it goes on the wire: "250-first\r\n250 last\r\n", each line prefixed by the status. */
  public void encodeTo(Buffer out) {
    StringBuilder sb = new StringBuilder(64 * lines.size());
    for (int i = 0; i < lines.size(); i++) {
      sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
      if (status != null) {
        sb.append(status).append(' ');
      }
      sb.append(lines.get(i)).append("\r\n");
    }
    out.appendBytes(sb.toString().getBytes(StandardCharsets.UTF_8)); // one encoding, no charset lookup by name
  }

  public Buffer encode() {
    Buffer b = Buffer.buffer(64);
    encodeTo(b);
    return b;
  }

  /** The first line as text, for logs and envelopes: "550 5.1.1 text". */
  public String summary() {
    return code + (status == null ? "" : " " + status) + " " + lines.get(0);
  }

  @Override
  public String toString() {
    return summary();
  }
}
