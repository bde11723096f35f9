package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.Ports;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package, installed by .ci/run) scrapes Hermod's /metrics: a private process with its
 * own configuration and storage in a temporary folder, on a free loopback port, scraping every second. The test
 * sends mail through Hermod and asks Prometheus's HTTP API until it reports the counter and the target up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path temp;

  @Test
  void prometheusScrapesTheAcceptedMessagesCounter() throws Exception {
    assertTrue(Files.isExecutable(PROMETHEUS), "prometheus is missing: apt-get install prometheus (see .ci/run)");
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), new JsonObject())) {
      for (int i = 0; i < 3; i++) {
        Mail.send(h, "alice@client.example", "bob@local.test");
      }
      int port = Ports.free();
      Path config = temp.resolve("prometheus.yml");
      Files.writeString(config, """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: hermod
              metrics_path: /metrics
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(h.httpPort()));
      Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + temp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(temp.resolve("prometheus.log").toFile()).start();
      try {
        assertEquals("3", awaitValue(port, "hermod_messages_accepted_total", "3", prometheus));
        assertEquals("1", awaitValue(port, "up{job=\"hermod\"}", "1", prometheus));
        assertEquals("3", awaitValue(port, "sum(hermod_smtp_commands_total{verb=\"DATA\",reply=\"3xx\"})", "3",
            prometheus));
      } finally {
        prometheus.destroy(); // SIGTERM to its PID
        if (!prometheus.waitFor(5, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Asks /api/v1/query until the instant vector's first sample has {@code expected}; returns the last value seen. */
  private String awaitValue(int port, String query, String expected, Process prometheus) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
    String last = "no answer";
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(prometheus.isAlive(), () -> "prometheus exited: " + log());
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonArray result = new JsonObject(r.body()).getJsonObject("data").getJsonArray("result");
          last = result.isEmpty() ? "no sample yet" : result.getJsonObject(0).getJsonArray("value").getString(1);
          if (expected.equals(last)) {
            return last;
          }
        }
      } catch (java.io.IOException notListeningYet) {
        last = "not listening yet: " + notListeningYet;
      }
      Thread.sleep(200);
    }
    return last + " (" + log() + ")";
  }

  private String log() {
    try {
      List<String> lines = Files.readAllLines(temp.resolve("prometheus.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (java.io.IOException e) {
      return "no log: " + e;
    }
  }
}
