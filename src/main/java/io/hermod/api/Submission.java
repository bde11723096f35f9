package io.hermod.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One message to submit through {@link HermodClient}: the envelope (sender, recipients, DSN options, tag)
 * and the message, either as RFC 5322 text or as a Vert.x Mail Client {@link MailMessage} that Hermod
 * renders. Build with {@link #builder()}; {@link #toJson()} is the request body on {@link Addresses#SUBMIT}.
 */
public final class Submission {

  private final JsonObject json;

  private Submission(JsonObject json) {
    this.json = json;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The request body (a copy). */
  public JsonObject toJson() {
    return json.copy();
  }

  /** Collects the fields; the server validates them (a bad address fails the submit with 400). */
  public static final class Builder {
    private String from;
    private final List<String> to = new ArrayList<>();
    private String contentKey;
    private Object content;
    private JsonObject dsn;
    private String tag;
    private String pool;
    private boolean requireTls;

    private Builder() {
    }

    /** The envelope sender (MAIL FROM), where bounces go. Required; the null sender is not accepted. */
    public Builder from(String sender) {
      this.from = sender;
      return this;
    }

    /** Envelope recipients (RCPT TO); at least one. Header To/Cc in the message are not read for this. */
    public Builder to(String... recipients) {
      to.addAll(List.of(recipients));
      return this;
    }

    public Builder to(List<String> recipients) {
      to.addAll(recipients);
      return this;
    }

    /** RFC 5322 text (header, empty line, body); LF-only line ends are turned into CRLF by the server. */
    public Builder raw(String message) {
      return content("raw", message);
    }

    /** The message as octets, sent base64-encoded (for 8-bit content in another charset than UTF-8). */
    public Builder raw(byte[] message) {
      return content("rawBase64", Base64.getEncoder().encodeToString(message));
    }

    /** A structured message, rendered by the server with the Mail Client's MailEncoder. */
    public Builder message(MailMessage message) {
      return content("message", message.toJson());
    }

    /**
     * RFC 3461 options.
     *
     * @param ret    "FULL" or "HDRS", or null
     * @param envid  the envelope id echoed in DSNs, or null
     * @param notify any of "SUCCESS", "FAILURE", "DELAY", or "NEVER" alone; none for the default
     */
    public Builder dsn(String ret, String envid, String... notify) {
      JsonObject d = new JsonObject();
      if (ret != null) {
        d.put("ret", ret);
      }
      if (envid != null) {
        d.put("envid", envid);
      }
      if (notify.length > 0) {
        d.put("notify", new JsonArray(List.of((Object[]) notify)));
      }
      this.dsn = d;
      return this;
    }

    /** A correlation tag, written into the message as an X-Hermod-Tag header field. */
    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    /**
     * The egress pool to send from, one of delivery.pools (docs/delivery.md "Sources and pools"); without it the
     * pool follows the sender domain or the default pool.
     */
    public Builder pool(String pool) {
      this.pool = pool;
      return this;
    }

    /**
     * REQUIRETLS (RFC 8689): relay this message only over TLS to next hops authenticated by DANE or MTA-STS that
     * offer REQUIRETLS themselves; otherwise it bounces (docs/security.md "REQUIRETLS").
     */
    public Builder requireTls() {
      this.requireTls = true;
      return this;
    }

    private Builder content(String key, Object value) {
      if (contentKey != null) {
        throw new IllegalStateException("the message was already given (" + contentKey + ")");
      }
      contentKey = key;
      content = Objects.requireNonNull(value, key);
      return this;
    }

    public Submission build() {
      if (contentKey == null) {
        throw new IllegalStateException("no message: call raw(...) or message(...)");
      }
      JsonObject json = new JsonObject().put("from", from).put("to", new JsonArray(new ArrayList<Object>(to)))
          .put(contentKey, content);
      if (dsn != null) {
        json.put("dsn", dsn);
      }
      if (tag != null) {
        json.put("tag", tag);
      }
      if (pool != null) {
        json.put("pool", pool);
      }
      if (requireTls) {
        json.put("requireTls", true);
      }
      return new Submission(json);
    }
  }
}
