package io.hermod.tlspolicy.rpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.hermod.tlspolicy.HermodAndPeersTest;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.OpensslCa;
import io.hermod.tlspolicy.PolicyHttpsServer;
import io.hermod.tlspolicy.PolicyHttpsServer.Answer;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsReportSink;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.Tlsa;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS-RPT end to end in a whole Hermod: outcomes recorded on its sink become, once the (2-second) period ended,
 * one report per policy domain, sent to the rua of the domain's _smtp._tls record (TestDnsServer): by mail,
 * spooled and delivered by Hermod itself to a scripted SMTP peer (the gzip attachment decodes to the report),
 * and by HTTPS POST to a server whose certificate comes from a CA made in the test. Every report is validated
 * against the RFC 8460 §4.4 schema. The MTA-STS policy of the domain, fetched through Hermod's source, is the
 * report's policy-string.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsRptDeliveryTest extends HermodAndPeersTest {

  private TestDnsServer dns;
  private PolicyHttpsServer https;
  private ScriptedSmtpPeer peer;


  @Test
  void reportsGoByMailThroughHermodAndByHttpsPost() throws Exception {
    peers = Vertx.vertx();
    OpensslCa ca = OpensslCa.create(dir.resolve("ca"), "rpt");
    https = new PolicyHttpsServer().start(peers, List.of(ca.issue("reports.example.test", "mta-sts.example.test")))
        .await(10, TimeUnit.SECONDS);
    https.answer("reports.example.test", "/tlsrpt", new Answer(201, Map.of(), Buffer.buffer()));
    https.answer("mta-sts.example.test", "/.well-known/mta-sts.txt", Answer.policy(
        "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n"));
    peer = new ScriptedSmtpPeer(peers).start().await(10, TimeUnit.SECONDS);
    dns = TestDnsServer.start(peers).await(10, TimeUnit.SECONDS);
    dns.txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test,https://reports.example.test:"
            + https.port() + "/tlsrpt")
        .a("reports.example.test", "127.0.0.1")
        .txt("_mta-sts.example.test", "v=STSv1; id=7;").a("mta-sts.example.test", "127.0.0.1");
    // quiet.test publishes no _smtp._tls record: its sessions are counted, no report is sent.

    hermod = TestHermod.start(dir.resolve("spool"), new JsonObject()
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add(dns.address().getHostString() + ":"
            + dns.address().getPort())).put("timeoutMillis", 5000))
        .put("routing", new JsonObject().put("routes", new JsonObject().put("reports.test", "[127.0.0.1]:"
            + peer.port())))
        .put("outboundTls", new JsonObject()
            .put("mtaSts", new JsonObject().put("enabled", true).put("caFile", ca.caFile().toString())
                .put("policyPort", https.port()))
            .put("tlsRpt", new JsonObject().put("enabled", true).put("intervalSeconds", 2)
                .put("organizationName", "Hermod Test").put("contactInfo", "tls@hermod.test")
                .put("submitter", "mx.hermod.test").put("from", "tlsrpt@hermod.test"))));
    assertTrue(hermod.hermod.mtaStsSource().policy("example.test").await(10, TimeUnit.SECONDS).isPresent());

    TlsReportSink sink = hermod.hermod.tlsReportSink();
    HostTlsPolicy sts = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, "example.test", false, List.of());
    HostTlsPolicy dane = new HostTlsPolicy(TlsLevel.DANE, PolicySource.DANE, "example.test", false,
        List.of(new Tlsa(3, 1, 1, HexFormat.of().parseHex("0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"))));
    HostTlsPolicy quiet = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, "quiet.test", false, List.of());
    hermod.vertx.runOnContext(v -> {
      for (int i = 0; i < 4; i++) {
        sink.record(new TlsOutcome(sts, "mx1.example.test", "127.0.0.1", null, null));
      }
      sink.record(new TlsOutcome(sts, "mx1.example.test", "127.0.0.1", TlsResultType.CERTIFICATE_EXPIRED,
          "certificate expired on 2026-12-01"));
      sink.record(new TlsOutcome(dane, "mx2.example.test", "127.0.0.2", TlsResultType.TLSA_INVALID, "no match"));
      sink.record(new TlsOutcome(quiet, "mx.quiet.test", "127.0.0.3", null, null));
    });

    // The outcomes may fall on both sides of a period's end: reports are summed until all are seen.
    Wait.until(() -> sessions(posted()) == 6, "HTTPS reports covering the 6 sessions of example.test", 30);
    Wait.until(() -> sessions(mailed()) == 6, "mailed reports covering the 6 sessions of example.test", 30);

    List<JsonObject> posted = posted();
    List<JsonObject> mailed = mailed();
    assertEquals(posted.stream().map(r -> r.getString("report-id")).sorted().toList(),
        mailed.stream().map(r -> r.getString("report-id")).sorted().toList(), "the same reports both ways");
    List<String> errors = PythonJsonSchema.errors(PythonJsonSchema.REPORT_SCHEMA, posted, dir);
    assertEquals(java.util.Collections.nCopies(posted.size(), ""), errors, posted.toString());
    for (JsonObject report : posted) {
      assertEquals("Hermod Test", report.getString("organization-name"));
      assertTrue(report.getString("report-id").endsWith(".example.test@mx.hermod.test"));
    }
    assertEquals(4, count(posted, "sts", "total-successful-session-count"));
    assertEquals(1, count(posted, "sts", "total-failure-session-count"));
    assertEquals(1, count(posted, "tlsa", "total-failure-session-count"));
    JsonObject stsPolicy = policies(posted).stream().filter(p -> p.getJsonObject("policy").getString("policy-type")
        .equals("sts")).findFirst().orElseThrow().getJsonObject("policy");
    assertEquals(new JsonArray().add("version: STSv1").add("mode: enforce").add("mx: mx1.example.test")
        .add("max_age: 86400"), stsPolicy.getJsonArray("policy-string"));
    assertEquals(new JsonArray().add("mx1.example.test"), stsPolicy.getJsonArray("mx-host"));
    assertTrue(https.received().stream().filter(r -> r.host().equals("reports.example.test"))
        .allMatch(r -> r.method().equals("POST")
        && "application/tlsrpt+gzip".equals(r.contentType())), "POSTs of application/tlsrpt+gzip");

    ReceivedMessage first = peer.messages().get(0);
    assertTrue(first.mailFrom().contains("<tlsrpt@hermod.test>"), first.mailFrom());
    assertEquals(1, first.rcptTo().size());
    assertTrue(first.rcptTo().get(0).contains("<tlsrpt@reports.test>"), first.rcptTo().toString());
    String text = first.content().toString(StandardCharsets.US_ASCII);
    JsonObject report = attachment(text);
    assertTrue(text.contains("\r\nSubject: Report Domain: example.test Submitter: mx.hermod.test Report-ID: <"
        + report.getString("report-id") + ">\r\n"), text);
    assertTrue(text.contains("\r\nTLS-Report-Domain: example.test\r\n"), text);
    assertTrue(text.contains("\r\nTLS-Report-Submitter: mx.hermod.test\r\n"), text);
    assertTrue(text.contains("multipart/report; report-type=\"tlsrpt\""), text);
    assertTrue(text.contains("Content-Type: application/tlsrpt+gzip\r\n"), text);

    assertTrue(posted.stream().noneMatch(r -> r.encode().contains("quiet.test")));
  }

  private List<JsonObject> posted() {
    List<JsonObject> reports = new ArrayList<>();
    for (PolicyHttpsServer.Received r : https.received()) {
      if (r.host().equals("reports.example.test")) {
        reports.add(new JsonObject(gunzip(r.body().getBytes())));
      }
    }
    return reports;
  }

  private List<JsonObject> mailed() {
    List<JsonObject> reports = new ArrayList<>();
    for (ReceivedMessage m : peer.messages()) {
      reports.add(attachment(m.content().toString(StandardCharsets.US_ASCII)));
    }
    return reports;
  }

  /** The base64 body of the application/tlsrpt+gzip part, decoded and gunzipped. */
  private static JsonObject attachment(String message) {
    Matcher m = Pattern.compile("Content-Type: application/tlsrpt\\+gzip\r\n(?:[^\r\n]+\r\n(?:\t[^\r\n]*\r\n)*)*\r\n"
        + "([A-Za-z0-9+/=\r\n]+?)\r\n--").matcher(message);
    assertTrue(m.find(), message);
    return new JsonObject(gunzip(Base64.getMimeDecoder().decode(m.group(1))));
  }

  private static String gunzip(byte[] gz) {
    try {
      return new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<JsonObject> policies(List<JsonObject> reports) {
    List<JsonObject> all = new ArrayList<>();
    reports.forEach(r -> r.getJsonArray("policies").forEach(p -> all.add((JsonObject) p)));
    return all;
  }

  private static long sessions(List<JsonObject> reports) {
    return policies(reports).stream().mapToLong(p -> p.getJsonObject("summary").getLong("total-successful-session-count")
        + p.getJsonObject("summary").getLong("total-failure-session-count")).sum();
  }

  private static long count(List<JsonObject> reports, String type, String field) {
    return policies(reports).stream().filter(p -> p.getJsonObject("policy").getString("policy-type").equals(type))
        .mapToLong(p -> p.getJsonObject("summary").getLong(field)).sum();
  }
}
