package io.hermod.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivery → router: what happened to each recipient of a {@link DeliveryJob}. Every recipient of the job
 * appears exactly once.
 *
 * @param remoteHost    the MX name of the host that gave the final answers, or null if none was reached
 * @param remoteAddress its IP address, or null
 * @param results       one per job recipient
 * @param unreachable   no host of the job could be used: every one refused or timed out the connection, failed
 *                      TLS, or refused us at the greeting or EHLO (a connection-level failure: what makes a
 *                      site dead, io.hermod.shaping.SiteHealth); false once any host answered a transaction
 * @param success       the success notice (RFC 3464 §2.3.3 Action) owed to a DELIVERED recipient that asked for
 *                      NOTIFY=SUCCESS: {@link DsnAction#RELAYED} when the next hop does not offer DSN (RFC 3461
 *                      §5.2.2: it will send none), {@link DsnAction#DELIVERED} for a final (local) delivery; null
 *                      when none is ours to send (the next hop offers DSN and got NOTIFY with the message)
 * @param tls           the TLS policy that applied and the TLS the session got; null when no SMTP delivery was
 *                      attempted (decided by the router, local delivery)
 */
public record DeliveryReport(String remoteHost, String remoteAddress, List<Result> results, boolean unreachable,
                             DsnAction success, DeliveryTls tls) {

  public DeliveryReport {
    results = List.copyOf(results);
  }

  public DeliveryReport(String remoteHost, String remoteAddress, List<Result> results, boolean unreachable,
                        DsnAction success) {
    this(remoteHost, remoteAddress, results, unreachable, success, null);
  }

  /** No success notice of ours. */
  public DeliveryReport(String remoteHost, String remoteAddress, List<Result> results, boolean unreachable) {
    this(remoteHost, remoteAddress, results, unreachable, null);
  }

  /** A report from a session that was reached (or from local delivery), no success notice of ours. */
  public DeliveryReport(String remoteHost, String remoteAddress, List<Result> results) {
    this(remoteHost, remoteAddress, results, false);
  }

  /** The same report with the success notice its delivered recipients are owed. */
  public DeliveryReport withSuccess(DsnAction action) {
    return new DeliveryReport(remoteHost, remoteAddress, results, unreachable, action, tls);
  }

  /** The same report saying which TLS policy applied and what TLS the session got. */
  public DeliveryReport withTls(DeliveryTls t) {
    return new DeliveryReport(remoteHost, remoteAddress, results, unreachable, success, t);
  }

  public enum Outcome {
    /** 2xx: the next hop took responsibility. */
    DELIVERED,
    /** 4xx, or no host reachable: try again later. */
    DEFERRED,
    /** 5xx (or locally decided permanent, e.g. SIZE or SMTPUTF8 not offered): bounce. */
    FAILED
  }

  /**
   * @param code   the SMTP reply code (a local failure uses the code it would have had, e.g. 451, 552)
   * @param status the enhanced status code ("4.4.1"), never null: derived from the code when the remote sent none
   * @param text   the reply text (remote's own words for a remote reply), one line
   * @param remote true when the remote server said it; false for a locally decided outcome (timeout, ...)
   */
  public record Result(String address, Outcome outcome, int code, String status, String text, boolean remote) {
    JsonObject toJson() {
      return new JsonObject().put("address", address).put("outcome", outcome.name()).put("code", code)
          .put("status", status).put("text", text).put("remote", remote);
    }

    static Result fromJson(JsonObject j) {
      return new Result(j.getString("address"), Outcome.valueOf(j.getString("outcome")), j.getInteger("code"),
          j.getString("status"), j.getString("text"), j.getBoolean("remote", false));
    }

    /** "550 5.1.1 text", as kept in the envelope's lastReply and a DSN's Diagnostic-Code. */
    public String summary() {
      return code + " " + status + " " + text;
    }
  }

  public JsonObject toJson() {
    JsonArray r = new JsonArray();
    results.forEach(x -> r.add(x.toJson()));
    JsonObject json = new JsonObject().put("remoteHost", remoteHost).put("remoteAddress", remoteAddress)
        .put("results", r);
    if (success != null) {
      json.put("success", success.name());
    }
    if (tls != null) {
      json.put("tls", tls.toJson());
    }
    return unreachable ? json.put("unreachable", true) : json;
  }

  public static DeliveryReport fromJson(JsonObject j) {
    List<Result> results = new ArrayList<>();
    j.getJsonArray("results").forEach(o -> results.add(Result.fromJson((JsonObject) o)));
    String success = j.getString("success");
    return new DeliveryReport(j.getString("remoteHost"), j.getString("remoteAddress"), results,
        j.getBoolean("unreachable", false), success == null ? null : DsnAction.valueOf(success),
        DeliveryTls.fromJson(j.getJsonObject("tls")));
  }
}
