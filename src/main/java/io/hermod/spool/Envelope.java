package io.hermod.spool;

import io.hermod.json.JsonFields;
import io.hermod.time.IsoInstant;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnRet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Everything the spool keeps about one message besides its bytes. Immutable; state changes make a new
 * envelope which the spool persists atomically. Serialised as one line of JSON (see docs/spool.md).
 *
 * @param id           queue id (see {@link QueueIds})
 * @param sender       reverse-path without angle brackets; "" is the null sender of bounces
 * @param recipients   the accepted recipients, in RCPT order
 * @param envid        RFC 3461 ENVID, xtext-decoded, or null
 * @param ret          RFC 3461 RET, or null when not given
 * @param body         RFC 6152 / 3030 BODY
 * @param smtpUtf8     RFC 6531: the client asked for SMTPUTF8 (the message needs it downstream)
 * @param clientAddress the peer's IP address
 * @param clientHelo   the HELO/EHLO name the client gave
 * @param authIdentity the authenticated submitter, or null
 * @param listener     the name of the listener that accepted it ("bus" for event-bus injections)
 * @param arrival      when the message was accepted
 * @param size         message bytes in the spool, Received header included
 * @param nextAttempt  earliest time of the next delivery attempt (arrival for a new message)
 * @param held         an operator put the message on hold
 * @param delayWarned  a DELAY DSN (RFC 3464 action "delayed") was already sent for it; at most one is sent
 * @param prependHeaders header fields (CRLF-terminated) sent in front of the spooled bytes on delivery, e.g.
 *                     the DKIM-Signature computed at acceptance; null for none
 * @param bounceDsnId  set by an operator bounce (docs/operations.md): the queue id reserved for its DSN, until
 *                     the DSN is committed and the bounce is finished; null otherwise
 * @param pool         the egress pool its hermod.submit request named (docs/delivery.md "Sources and pools"),
 *                     or null: then the pool follows the authenticated user, the sender domain or the default
 * @param authSubmitter RFC 4954 §5: the original submitter an authenticated client named in MAIL FROM's AUTH=
 *                     parameter, passed on as AUTH= to a next hop that offers AUTH; null when unknown ("&lt;&gt;")
 * @param tlsRequest   what the sender asked of TLS (RFC 8689 REQUIRETLS or {@code TLS-Required: No})
 */
public record Envelope(String id, String sender, List<Recipient> recipients, String envid, DsnRet ret,
                       BodyType body, boolean smtpUtf8, String clientAddress, String clientHelo,
                       String authIdentity, String listener, Instant arrival, long size, Instant nextAttempt,
                       boolean held, boolean delayWarned, String prependHeaders, String bounceDsnId,
                       String pool, String authSubmitter, TlsRequest tlsRequest) implements JsonFields {

  public Envelope {
    recipients = List.copyOf(recipients);
    tlsRequest = tlsRequest == null ? TlsRequest.DEFAULT : tlsRequest;
  }

  /** Without a TLS request of the sender's. */
  public Envelope(String id, String sender, List<Recipient> recipients, String envid, DsnRet ret, BodyType body,
                  boolean smtpUtf8, String clientAddress, String clientHelo, String authIdentity, String listener,
                  Instant arrival, long size, Instant nextAttempt, boolean held, boolean delayWarned,
                  String prependHeaders, String bounceDsnId, String pool, String authSubmitter) {
    this(id, sender, recipients, envid, ret, body, smtpUtf8, clientAddress, clientHelo, authIdentity, listener,
        arrival, size, nextAttempt, held, delayWarned, prependHeaders, bounceDsnId, pool, authSubmitter,
        TlsRequest.DEFAULT);
  }

  /** Without an AUTH= submitter. */
  public Envelope(String id, String sender, List<Recipient> recipients, String envid, DsnRet ret, BodyType body,
                  boolean smtpUtf8, String clientAddress, String clientHelo, String authIdentity, String listener,
                  Instant arrival, long size, Instant nextAttempt, boolean held, boolean delayWarned,
                  String prependHeaders, String bounceDsnId, String pool) {
    this(id, sender, recipients, envid, ret, body, smtpUtf8, clientAddress, clientHelo, authIdentity, listener,
        arrival, size, nextAttempt, held, delayWarned, prependHeaders, bounceDsnId, pool, null);
  }

  /** Without a requested pool. */
  public Envelope(String id, String sender, List<Recipient> recipients, String envid, DsnRet ret, BodyType body,
                  boolean smtpUtf8, String clientAddress, String clientHelo, String authIdentity, String listener,
                  Instant arrival, long size, Instant nextAttempt, boolean held, boolean delayWarned,
                  String prependHeaders, String bounceDsnId) {
    this(id, sender, recipients, envid, ret, body, smtpUtf8, clientAddress, clientHelo, authIdentity, listener,
        arrival, size, nextAttempt, held, delayWarned, prependHeaders, bounceDsnId, null);
  }

  /** Without an operator bounce in progress. */
  public Envelope(String id, String sender, List<Recipient> recipients, String envid, DsnRet ret, BodyType body,
                  boolean smtpUtf8, String clientAddress, String clientHelo, String authIdentity, String listener,
                  Instant arrival, long size, Instant nextAttempt, boolean held, boolean delayWarned,
                  String prependHeaders) {
    this(id, sender, recipients, envid, ret, body, smtpUtf8, clientAddress, clientHelo, authIdentity, listener,
        arrival, size, nextAttempt, held, delayWarned, prependHeaders, null);
  }

  /** Without prepended headers. */
  public Envelope(String id, String sender, List<Recipient> recipients, String envid, DsnRet ret, BodyType body,
                  boolean smtpUtf8, String clientAddress, String clientHelo, String authIdentity, String listener,
                  Instant arrival, long size, Instant nextAttempt, boolean held, boolean delayWarned) {
    this(id, sender, recipients, envid, ret, body, smtpUtf8, clientAddress, clientHelo, authIdentity, listener,
        arrival, size, nextAttempt, held, delayWarned, null);
  }

  public Envelope withPrependHeaders(String headers) {
    return with(e -> e.prependHeaders = headers);
  }

  public Envelope withBounceDsnId(String dsnId) {
    return with(e -> e.bounceDsnId = dsnId);
  }

  /** The same message with the egress pool its submit request named (null for none). */
  public Envelope withPool(String requested) {
    return with(e -> e.pool = requested);
  }

  /** The same message with the original submitter of MAIL FROM's AUTH= (RFC 4954 §5), or null for none. */
  public Envelope withAuthSubmitter(String submitter) {
    return with(e -> e.authSubmitter = submitter);
  }

  /** The same message with what its sender asked of TLS (RFC 8689). */
  public Envelope withTlsRequest(TlsRequest request) {
    return with(e -> e.tlsRequest = request);
  }

  public boolean isBounce() {
    return sender.isEmpty();
  }

  /** True when no recipient is left to deliver. */
  public boolean isDone() {
    for (Recipient r : recipients) { // a loop, not a stream: asked several times per message (issue #17)
      if (!r.state().isFinal()) {
        return false;
      }
    }
    return true;
  }

  public Envelope withSize(long newSize) {
    return with(e -> e.size = newSize);
  }

  public Envelope withNextAttempt(Instant when) {
    return with(e -> e.nextAttempt = when);
  }

  public Envelope withHeld(boolean newHeld) {
    return with(e -> e.held = newHeld);
  }

  public Envelope withDelayWarned(boolean warned) {
    return with(e -> e.delayWarned = warned);
  }

  /** A copy with each recipient passed through {@code change}. */
  public Envelope mapRecipients(UnaryOperator<Recipient> change) {
    List<Recipient> next = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      next.add(change.apply(r));
    }
    return with(e -> e.recipients = next);
  }

  /** A copy with the fields {@code change} sets: the one place that lists every component for a copy. */
  private Envelope with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** An envelope's components, to change some of them (the withers above). */
  private static final class Copy {
    private final String id;
    private final String sender;
    private List<Recipient> recipients;
    private final String envid;
    private final DsnRet ret;
    private final BodyType body;
    private final boolean smtpUtf8;
    private final String clientAddress;
    private final String clientHelo;
    private final String authIdentity;
    private final String listener;
    private final Instant arrival;
    private long size;
    private Instant nextAttempt;
    private boolean held;
    private boolean delayWarned;
    private String prependHeaders;
    private String bounceDsnId;
    private String pool;
    private String authSubmitter;
    private TlsRequest tlsRequest;

    Copy(Envelope e) {
      id = e.id;
      sender = e.sender;
      recipients = e.recipients;
      envid = e.envid;
      ret = e.ret;
      body = e.body;
      smtpUtf8 = e.smtpUtf8;
      clientAddress = e.clientAddress;
      clientHelo = e.clientHelo;
      authIdentity = e.authIdentity;
      listener = e.listener;
      arrival = e.arrival;
      size = e.size;
      nextAttempt = e.nextAttempt;
      held = e.held;
      delayWarned = e.delayWarned;
      prependHeaders = e.prependHeaders;
      bounceDsnId = e.bounceDsnId;
      pool = e.pool;
      authSubmitter = e.authSubmitter;
      tlsRequest = e.tlsRequest;
    }

    Envelope build() {
      return new Envelope(id, sender, recipients, envid, ret, body, smtpUtf8, clientAddress, clientHelo,
          authIdentity, listener, arrival, size, nextAttempt, held, delayWarned, prependHeaders, bounceDsnId, pool,
          authSubmitter, tlsRequest);
    }
  }

  public JsonObject toJson() {
    return JsonFields.object(this);
  }

  /** The fields of the envelope's JSON, in order (docs/spool.md): its JsonObject and its journal line alike. */
  @Override
  public void fieldsTo(FieldSink json) {
    json.put("version", 1);
    json.put("id", id);
    json.put("sender", sender);
    json.putObjects("recipients", recipients);
    json.put("body", body.name());
    json.put("smtpUtf8", smtpUtf8);
    json.put("clientAddress", clientAddress);
    json.put("clientHelo", clientHelo);
    json.put("listener", listener);
    json.put("arrival", IsoInstant.format(arrival));
    json.put("size", size);
    json.put("nextAttempt", IsoInstant.format(nextAttempt));
    json.put("held", held);
    json.put("delayWarned", delayWarned);
    putIfSet(json, "envid", envid);
    putIfSet(json, "ret", ret == null ? null : ret.name());
    putIfSet(json, "authIdentity", authIdentity);
    putIfSet(json, "prependHeaders", prependHeaders);
    putIfSet(json, "bounceDsnId", bounceDsnId);
    putIfSet(json, "pool", pool);
    putIfSet(json, "authSubmitter", authSubmitter);
    putIfSet(json, "tlsRequest", tlsRequest == TlsRequest.DEFAULT ? null : tlsRequest.name());
  }

  private static void putIfSet(FieldSink json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  /** @throws IllegalArgumentException on a missing or malformed field (the spool quarantines such files) */
  public static Envelope fromJson(JsonObject json) {
    try {
      List<Recipient> rcpts = new ArrayList<>();
      JsonArray arr = json.getJsonArray("recipients");
      if (arr == null || arr.isEmpty()) {
        throw new IllegalArgumentException("envelope has no recipients");
      }
      for (int i = 0; i < arr.size(); i++) {
        rcpts.add(Recipient.fromJson(arr.getJsonObject(i)));
      }
      String ret = json.getString("ret");
      return new Envelope(Recipient.required(json, "id"), Recipient.required(json, "sender"), rcpts,
          json.getString("envid"), ret == null ? null : DsnRet.valueOf(ret),
          BodyType.valueOf(Recipient.required(json, "body")), json.getBoolean("smtpUtf8", false),
          json.getString("clientAddress"), json.getString("clientHelo"), json.getString("authIdentity"),
          json.getString("listener"), Instants.parse(Recipient.required(json, "arrival")),
          json.getLong("size", 0L), Instants.parse(Recipient.required(json, "nextAttempt")),
          json.getBoolean("held", false), json.getBoolean("delayWarned", false), json.getString("prependHeaders"),
          json.getString("bounceDsnId"), json.getString("pool"), json.getString("authSubmitter"),
          tlsRequest(json.getString("tlsRequest")));
    } catch (ClassCastException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("malformed envelope: " + e.getMessage(), e);
    }
  }
  /** Unknown text (a newer Hermod's value) reads as DEFAULT: the destination's policy applies. */
  private static TlsRequest tlsRequest(String name) {
    if (name != null) {
      for (TlsRequest r : TlsRequest.values()) {
        if (r.name().equals(name)) {
          return r;
        }
      }
    }
    return TlsRequest.DEFAULT;
  }

}
