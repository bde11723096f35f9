package io.hermod.delivery;

import io.hermod.tlspolicy.HostTlsPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Router → delivery: deliver one message to some of its recipients (all for one destination) over SMTP.
 * Sent as a request on {@link io.hermod.api.Addresses#DELIVERY_JOB}; the reply is a {@link DeliveryReport}.
 * A failed request (no consumer, timeout, refusal because busy) means "not attempted": the router defers
 * the recipients briefly without counting an attempt. Bodies never travel on the bus: the job names the
 * spool file and the byte range.
 *
 * @param queueId       the spool id
 * @param destination   the shaping key: the recipient domain, or the configured next hop ("[10.1.2.3]:2525")
 * @param hosts         where to try, in order (MX preference order, addresses resolved)
 * @param sender        reverse-path without brackets ("" for bounces)
 * @param recipients    the recipients to attempt, with their RCPT parameters
 * @param mailParams    extra MAIL FROM parameters (e.g. "BODY=8BITMIME RET=HDRS ENVID=x"), may be ""
 * @param needsSmtpUtf8 the message needs SMTPUTF8 (RFC 6531): fail with 5.6.7 if the next hop lacks it
 * @param contentFile   the spool file holding the message
 * @param contentOffset where the message starts in it
 * @param contentLength how many bytes it has
 * @param prependHeaders header fields sent before the spooled bytes (the DKIM-Signature), or null
 * @param site          the remote site the hosts belong to (io.hermod.shaping.SiteKeys: a canonical form of
 *                      the MX host set, a provider's name, or an opted-out domain): the unit of limits,
 *                      suspensions, dead marks and connection reuse, with the source
 * @param source        the egress source to send from (delivery.sources), or null for the default (the
 *                      system's choice of local address, EHLO = hostname)
 */
public record DeliveryJob(String queueId, String destination, List<Host> hosts, String sender,
                          List<Rcpt> recipients, String mailParams, boolean needsSmtpUtf8, String contentFile,
                          long contentOffset, long contentLength, String prependHeaders, String site,
                          String source) {

  public DeliveryJob {
    hosts = List.copyOf(hosts);
    recipients = List.copyOf(recipients);
    site = site == null ? destination : site;
  }

  /** A job whose site is its destination, from the default source. */
  public DeliveryJob(String queueId, String destination, List<Host> hosts, String sender, List<Rcpt> recipients,
                     String mailParams, boolean needsSmtpUtf8, String contentFile, long contentOffset,
                     long contentLength, String prependHeaders) {
    this(queueId, destination, hosts, sender, recipients, mailParams, needsSmtpUtf8, contentFile, contentOffset,
        contentLength, prependHeaders, null, null);
  }

  /**
   * The key the router schedules by and delivery pools connections by: (egress source, site). Two jobs with
   * one key may share a connection; limits, suspensions and dead marks hold per key.
   */
  public String queueKey() {
    return queueKey(source, site);
  }

  /** The queue key of jobs from {@code source} (null = the default source) to {@code site}. */
  public static String queueKey(String source, String site) {
    return source == null ? site : source + "->" + site;
  }

  /** A job with nothing prepended. */
  public DeliveryJob(String queueId, String destination, List<Host> hosts, String sender, List<Rcpt> recipients,
                     String mailParams, boolean needsSmtpUtf8, String contentFile, long contentOffset,
                     long contentLength) {
    this(queueId, destination, hosts, sender, recipients, mailParams, needsSmtpUtf8, contentFile, contentOffset,
        contentLength, null);
  }

  /**
   * One next-hop address to try: the MX name (for TLS SNI, certificate names and logs), its IP address, the port,
   * and the TLS policy the router planned for it (docs/security.md "Outbound TLS"; JSON "tls", absent in a job
   * from an older router = opportunistic).
   */
  public record Host(String name, String address, int port, HostTlsPolicy tls) {

    public Host {
      tls = tls == null ? HostTlsPolicy.OPPORTUNISTIC : tls;
    }

    /** A host without a policy of its own: opportunistic STARTTLS. */
    public Host(String name, String address, int port) {
      this(name, address, port, HostTlsPolicy.OPPORTUNISTIC);
    }

    /** The same host under {@code policy}. */
    public Host withTls(HostTlsPolicy policy) {
      return new Host(name, address, port, policy);
    }

    JsonObject toJson() {
      JsonObject j = new JsonObject().put("name", name).put("address", address).put("port", port);
      return tls.equals(HostTlsPolicy.OPPORTUNISTIC) ? j : j.put("tls", tls.toJson());
    }

    static Host fromJson(JsonObject j) {
      return new Host(j.getString("name"), j.getString("address"), j.getInteger("port"),
          HostTlsPolicy.fromJson(j.getJsonObject("tls")));
    }
  }

  /** @param params RCPT TO parameters, e.g. "NOTIFY=FAILURE ORCPT=rfc822;x+40y" (may be "") */
  public record Rcpt(String address, String params) {
    JsonObject toJson() {
      return new JsonObject().put("address", address).put("params", params);
    }

    static Rcpt fromJson(JsonObject j) {
      return new Rcpt(j.getString("address"), j.getString("params", ""));
    }
  }

  public JsonObject toJson() {
    JsonArray h = new JsonArray();
    hosts.forEach(x -> h.add(x.toJson()));
    JsonArray r = new JsonArray();
    recipients.forEach(x -> r.add(x.toJson()));
    JsonObject json = new JsonObject().put("queueId", queueId).put("destination", destination).put("hosts", h)
        .put("sender", sender).put("recipients", r).put("mailParams", mailParams)
        .put("needsSmtpUtf8", needsSmtpUtf8).put("contentFile", contentFile)
        .put("contentOffset", contentOffset).put("contentLength", contentLength).put("site", site);
    if (source != null) {
      json.put("source", source);
    }
    return prependHeaders == null ? json : json.put("prependHeaders", prependHeaders);
  }

  public static DeliveryJob fromJson(JsonObject j) {
    List<Host> hosts = new ArrayList<>();
    j.getJsonArray("hosts").forEach(o -> hosts.add(Host.fromJson((JsonObject) o)));
    List<Rcpt> rcpts = new ArrayList<>();
    j.getJsonArray("recipients").forEach(o -> rcpts.add(Rcpt.fromJson((JsonObject) o)));
    return new DeliveryJob(j.getString("queueId"), j.getString("destination"), hosts, j.getString("sender"),
        rcpts, j.getString("mailParams", ""), j.getBoolean("needsSmtpUtf8", false), j.getString("contentFile"),
        j.getLong("contentOffset"), j.getLong("contentLength"), j.getString("prependHeaders"), j.getString("site"),
        j.getString("source"));
  }
}
