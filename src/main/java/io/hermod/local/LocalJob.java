package io.hermod.local;

import io.hermod.config.LocalTransport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Router → local delivery: deliver one message to some of its recipients, all at one local domain, with
 * that domain's transport. Sent as a request on {@link io.hermod.api.Addresses#LOCAL_JOB}; the reply is a
 * {@link io.hermod.delivery.DeliveryReport} with one result per recipient. As for SMTP jobs, a failed
 * request means "not attempted", and the body never travels: the job names the spool file and byte range.
 *
 * @param queueId       the spool id
 * @param domain        the recipients' domain, lower case ("" for a bare {@code <postmaster>})
 * @param transport     how to deliver (from {@code local.transports})
 * @param sender        reverse-path without brackets ("" for bounces)
 * @param recipients    the recipient addresses, in envelope order
 * @param contentFile   the spool file holding the message
 * @param contentOffset where the message starts in it
 * @param contentLength how many bytes it has
 * @param prependHeaders header fields (CRLF-terminated) delivered before the spooled bytes, e.g. the
 *                      Authentication-Results field made at acceptance; null for none
 */
public record LocalJob(String queueId, String domain, LocalTransport transport, String sender,
                       List<String> recipients, String contentFile, long contentOffset, long contentLength,
                       String prependHeaders) {

  public LocalJob {
    recipients = List.copyOf(recipients);
  }

  /** Without prepended header fields. */
  public LocalJob(String queueId, String domain, LocalTransport transport, String sender, List<String> recipients,
                  String contentFile, long contentOffset, long contentLength) {
    this(queueId, domain, transport, sender, recipients, contentFile, contentOffset, contentLength, null);
  }

  /** The prepended header fields as bytes (UTF-8: they may carry an SMTPUTF8 address), empty for none. */
  public byte[] prependBytes() {
    return prependHeaders == null ? new byte[0] : prependHeaders.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The router's shaping key: local jobs are limited per domain, apart from SMTP destinations. */
  public String destination() {
    return "local:" + domain;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("queueId", queueId).put("domain", domain)
        .put("transport", transport.toJson())
        .put("sender", sender).put("recipients", new JsonArray(new ArrayList<>(recipients)))
        .put("contentFile", contentFile).put("contentOffset", contentOffset).put("contentLength", contentLength);
    return prependHeaders == null ? json : json.put("prependHeaders", prependHeaders);
  }

  public static LocalJob fromJson(JsonObject j) {
    List<String> rcpts = new ArrayList<>();
    j.getJsonArray("recipients").forEach(o -> rcpts.add((String) o));
    return new LocalJob(j.getString("queueId"), j.getString("domain"),
        LocalTransport.fromJson(j.getJsonObject("transport")), j.getString("sender"), rcpts,
        j.getString("contentFile"), j.getLong("contentOffset"), j.getLong("contentLength"),
        j.getString("prependHeaders"));
  }
}
