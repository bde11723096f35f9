package io.hermod.tlspolicy.rpt;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/**
 * The RFC 8460 §4.4 report of one policy domain for one period, its report-id and its gzip form (§5.1). Pure.
 *
 * @param organizationName organization-name
 * @param contactInfo      contact-info
 * @param submitter        the submitter: part of the report-id and of mailed reports' headers (§5.3)
 */
public record ReportBuilder(String organizationName, String contactInfo, String submitter) {

  /** One report, ready to send. */
  public record Report(String policyDomain, String reportId, long start, long end, JsonObject json) {

    /** The gzip-compressed JSON (§5.1: application/tlsrpt+gzip). */
    public Buffer gzip() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(json.encode().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Buffer.buffer(out.toByteArray());
    }

    /**
     * §5.1: filename = sender "!" policy-domain "!" begin-timestamp "!" end-timestamp "." extension, the
     * timestamps in seconds since the epoch.
     */
    public String filename(String submitter) {
      return submitter + "!" + policyDomain + "!" + start + "!" + (end - 1) + ".json.gz";
    }
  }

  /**
   * @param start    the period's first second (epoch seconds)
   * @param end      the second after its last
   * @param policies the domain's "policies" entries ({@link SessionCounts#policiesByDomain()})
   */
  public Report build(String policyDomain, long start, long end, JsonArray policies) {
    // A report-id the same on every node: one report per policy domain and period, whoever sends it.
    String reportId = start + "." + policyDomain + "@" + submitter;
    JsonObject json = new JsonObject()
        .put("organization-name", organizationName)
        .put("date-range", new JsonObject()
            .put("start-datetime", Instant.ofEpochSecond(start).toString())
            .put("end-datetime", Instant.ofEpochSecond(end - 1).toString()))
        .put("contact-info", contactInfo)
        .put("report-id", reportId)
        .put("policies", policies);
    return new Report(policyDomain, reportId, start, end, json);
  }
}
