package io.hermod.tlspolicy.rpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts → RFC 8460 §4.4 report, validated against tlsrpt-report.schema.json (written from §4.4's definitions) by
 * an independent validator (python3-jsonschema); the schema is shown to reject broken reports too.
 */
class TlsRptReportSchemaTest {

  private static final long START = 1_796_515_200L; // 2026-12-06T00:00:00Z
  private static final PolicyKey STS = new PolicyKey("sts", "example.test",
      List.of("version: STSv1", "mode: enforce", "mx: mx1.example.test", "mx: *.mx.example.test", "max_age: 86400"),
      List.of("mx1.example.test", "*.mx.example.test"));
  private static final PolicyKey TLSA = new PolicyKey("tlsa", "example.test",
      List.of("3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"), List.of("mx2.example.test"));
  private static final PolicyKey FETCH_FAILED = new PolicyKey("sts", "other.test", List.of(), List.of());

  @TempDir
  Path dir;

  private final ReportBuilder builder = new ReportBuilder("Hermod Test", "tls@hermod.test", "mx.hermod.test");

  private static SessionCounts sample() {
    SessionCounts c = new SessionCounts(10);
    for (int i = 0; i < 3; i++) {
      c.add(STS, null);
    }
    FailureKey expired = new FailureKey("certificate-expired", "mx1.example.test", "192.0.2.1", "certificate expired");
    c.add(STS, expired);
    c.add(STS, expired);
    c.add(STS, new FailureKey("starttls-not-supported", "mx9.example.test", "2001:db8::9", null));
    c.add(TLSA, null);
    c.add(TLSA, new FailureKey("tlsa-invalid", "mx2.example.test", "192.0.2.2", "no TLSA record matches"));
    c.add(FETCH_FAILED, new FailureKey("sts-policy-fetch-error", null, null, "HTTP 404"));
    return c;
  }

  @Test
  void aReportFromCountsIsValidAndCountsRight() throws Exception {
    Map<String, JsonArray> byDomain = sample().policiesByDomain();
    assertEquals(List.of("example.test", "other.test"), List.copyOf(byDomain.keySet()));

    ReportBuilder.Report report = builder.build("example.test", START, START + 86_400, byDomain.get("example.test"));
    assertEquals("", PythonJsonSchema.errors(PythonJsonSchema.REPORT_SCHEMA, report.json(), dir));
    JsonObject json = report.json();
    assertEquals("2026-12-06T00:00:00Z", json.getJsonObject("date-range").getString("start-datetime"));
    assertEquals("2026-12-06T23:59:59Z", json.getJsonObject("date-range").getString("end-datetime"));
    assertEquals("1796515200.example.test@mx.hermod.test", json.getString("report-id"));
    JsonObject sts = json.getJsonArray("policies").getJsonObject(0);
    assertEquals(STS.toJson(), sts.getJsonObject("policy"));
    assertEquals(new JsonObject().put("total-successful-session-count", 3L).put("total-failure-session-count", 3L),
        sts.getJsonObject("summary"));
    JsonArray details = sts.getJsonArray("failure-details");
    assertEquals(2, details.size());
    assertEquals(new JsonObject().put("result-type", "certificate-expired").put("receiving-ip", "192.0.2.1")
        .put("receiving-mx-hostname", "mx1.example.test").put("failed-session-count", 2L)
        .put("failure-reason-code", "certificate expired"), details.getJsonObject(0));
    JsonObject tlsa = json.getJsonArray("policies").getJsonObject(1);
    assertEquals(1L, tlsa.getJsonObject("summary").getLong("total-successful-session-count"));
    assertEquals("mx.hermod.test!example.test!1796515200!1796601599.json.gz", report.filename("mx.hermod.test"));

    ReportBuilder.Report other = builder.build("other.test", START, START + 86_400, byDomain.get("other.test"));
    assertEquals("", PythonJsonSchema.errors(PythonJsonSchema.REPORT_SCHEMA, other.json(), dir));

    String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(report.gzip().getBytes()))
        .readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(json, new JsonObject(unzipped));
  }

  @Test
  void countsMergedFromAnotherNodeAddUp() {
    SessionCounts merged = new SessionCounts(10);
    merged.merge(sample().toJson());
    merged.merge(sample().toJson());
    JsonObject sts = merged.policiesByDomain().get("example.test").getJsonObject(0);
    assertEquals(6L, sts.getJsonObject("summary").getLong("total-successful-session-count"));
    assertEquals(4L, sts.getJsonArray("failure-details").getJsonObject(0).getLong("failed-session-count"));
  }

  @Test
  void countsAreBounded() {
    SessionCounts c = new SessionCounts(1);
    assertTrue(c.add(STS, null));
    assertTrue(!c.add(TLSA, null), "a second policy is over maxPolicies = 1");
    for (int i = 0; i < SessionCounts.MAX_DETAILS + 10; i++) {
      c.add(STS, new FailureKey("validation-failure", "mx" + i + ".example.test", null, null));
    }
    JsonObject sts = c.policiesByDomain().get("example.test").getJsonObject(0);
    assertEquals(SessionCounts.MAX_DETAILS, sts.getJsonArray("failure-details").size());
    assertEquals(SessionCounts.MAX_DETAILS + 10L, sts.getJsonObject("summary").getLong("total-failure-session-count"));
  }

  @Test
  void theSchemaRejectsBrokenReports() throws Exception {
    JsonObject good = builder.build("example.test", START, START + 86_400,
        sample().policiesByDomain().get("example.test")).json();
    List<JsonObject> broken = List.of(
        good.copy().put("report-id", (String) null),
        withoutKey(good, "contact-info"),
        good.copy().put("date-range", new JsonObject().put("start-datetime", "yesterday")
            .put("end-datetime", "2026-12-06T23:59:59Z")),
        good.copy().put("policies", new JsonArray()),
        withPolicy(good, p -> p.getJsonObject("policy").put("policy-type", "dane")),
        withPolicy(good, p -> p.getJsonObject("summary").put("total-failure-session-count", -1)),
        withPolicy(good, p -> p.getJsonArray("failure-details").getJsonObject(0).put("result-type", "expired")),
        withPolicy(good, p -> p.getJsonArray("failure-details").getJsonObject(0).put("receiving-ip", "not-an-ip")),
        withPolicy(good, p -> p.getJsonArray("failure-details").getJsonObject(0).put("failed_session_count", 1)));
    List<String> errors = PythonJsonSchema.errors(PythonJsonSchema.REPORT_SCHEMA, broken, dir);
    for (int i = 0; i < broken.size(); i++) {
      assertTrue(!errors.get(i).isEmpty(), "accepted: " + broken.get(i).encode());
    }
  }

  private static JsonObject withoutKey(JsonObject j, String key) {
    JsonObject copy = j.copy();
    copy.remove(key);
    return copy;
  }

  private static JsonObject withPolicy(JsonObject j, java.util.function.Consumer<JsonObject> change) {
    JsonObject copy = j.copy();
    change.accept(copy.getJsonArray("policies").getJsonObject(0));
    return copy;
  }
}
