package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.admin.QueueCommand;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The "hermod queue" CLI in-process against a running instance's admin API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueCommandTest {

  @TempDir
  Path temp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void listShowHoldSummaryDeleteAndToken() throws Exception {
    JsonObject conf = new JsonObject().put("http", new JsonObject().put("port", 0).put("adminToken", "tok"));
    try (OpsFixture fx = OpsFixture.start(temp, conf)) {
      String url = fx.url();
      String id = fx.queue(1, i -> "bob@local.test").get(0);

      assertEquals(0, run("list", "--url", url, "--token", "tok"), err.toString());
      String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
      assertTrue(lines[0].startsWith("ID"), lines[0]);
      assertTrue(lines[1].startsWith(id) && lines[1].contains("s0@client.test")
          && lines[1].contains("bob@local.test (pending)"), lines[1]);
      assertEquals("1 message(s)", lines[2]);
      assertEquals(3, lines.length, "no next page");

      assertEquals(0, run("hold", id, "--url", url, "--token", "tok"), err.toString());
      assertTrue(out.toString().contains(id + " held"), out.toString());

      assertEquals(0, runWithEnv(Map.of("HERMOD_ADMIN_TOKEN", "tok"), "show", id, "--url", url));
      assertEquals(0, runWithEnv(Map.of("HERMOD_HTTP_ADMIN_TOKEN", "tok"), "show", id, "--url", url));
      assertTrue(out.toString().contains("held:         true"), out.toString());

      assertEquals(0, run("summary", "--url", url, "--token", "tok"));
      assertTrue(out.toString().startsWith("DOMAIN"), out.toString());
      assertTrue(out.toString().lines().anyMatch(l -> l.matches("local\\.test\\s+1\\s+1\\s+0.*")), out.toString());
      assertEquals(0, run("summary", "--by", "site", "--url", url, "--token", "tok"));
      assertTrue(out.toString().lines().anyMatch(l -> l.matches("\\(unrouted\\)\\s+1\\s+1\\s+0.*")), out.toString());
      assertEquals(2, run("summary", "--by", "planet", "--url", url));

      assertEquals(0, run("delete", id, "--url", url, "--token", "tok"), err.toString());
      assertEquals(1, run("show", id, "--url", url, "--token", "tok"));
      assertTrue(err.toString().contains("HTTP 404"), err.toString());

      assertEquals(1, run("list", "--url", url));
      assertTrue(err.toString().contains("HTTP 401"), err.toString());
      assertEquals(2, run("frobnicate", "--url", url));
      assertEquals(2, run("list", "--stat", "held", "--url", url)); // a typo is a usage error, not a wider listing
      assertTrue(err.toString().contains("unknown option --stat"), err.toString());
    }
  }

  @Test
  void listPagesByCursorAndBulkJobsRunAndReport() throws Exception {
    try (OpsFixture fx = OpsFixture.start(temp)) {
      String url = fx.url();
      List<String> ids = fx.queue(5, i -> "r" + i + "@d" + (i % 2) + ".test");

      assertEquals(0, run("list", "--limit", "2", "--min-age", "0s", "--max-age", "1h", "--url", url), err.toString());
      String more = out.toString().lines().filter(l -> l.startsWith("more: --cursor ")).findFirst().orElseThrow();
      Set<String> seen = new HashSet<>(listedIds());
      for (int i = 0; i < 5 && !more.isEmpty(); i++) {
        String cursor = more.substring("more: --cursor ".length());
        assertEquals(0, run("list", "--limit", "2", "--cursor", cursor, "--url", url));
        seen.addAll(listedIds());
        more = out.toString().lines().filter(l -> l.startsWith("more: --cursor ")).findFirst().orElse("");
      }
      assertEquals(new HashSet<>(ids), seen);

      assertEquals(2, run("bulk", "hold", "--url", url), "no filter, no --all");
      assertTrue(err.toString().contains("--all"), err.toString());
      assertEquals(2, run("bulk", "freeze", "--domain", "d0.test", "--url", url));
      assertEquals(0, run("bulk", "hold", "--domain", "d0.test", "--sender", "S0@client.test", "--url", url),
          err.toString());
      String job = out.toString().split(" ")[5];
      assertTrue(out.toString().startsWith("bulk hold started as job " + job), out.toString());
      for (int i = 0; i < 500 && !out.toString().contains("state:    done"); i++) {
        Thread.sleep(20);
        assertEquals(0, run("job", job, "--url", url), err.toString());
      }
      assertTrue(out.toString().contains("done:     1"), out.toString()); // d0 messages 0, 2, 4; sender s0: 0
      assertTrue(fx.spool.load(ids.get(0)).await().held());
      assertEquals(0, run("jobs", "--url", url));
      assertTrue(out.toString().lines().anyMatch(l -> l.startsWith(job) && l.contains("hold") && l.contains("done")
          && l.contains("domain=d0.test sender=S0@client.test")), out.toString());
      assertEquals(1, run("cancel", job, "--url", url));
      assertTrue(err.toString().contains("HTTP 409"), err.toString());
      assertEquals(0, run("bulk", "release", "--all", "--url", url), err.toString());
    }
  }

  private List<String> listedIds() {
    return out.toString().lines().skip(1).filter(l -> !l.contains("message(s)") && !l.startsWith("more:"))
        .map(l -> l.split("\\s+")[0]).toList();
  }

  /** Nothing listening, an unknown host, no URL at all: what to check, not "null" (issue #16). */
  @Test
  void anUnreachableOrWrongUrlSaysWhatToCheck() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort(); // nothing listens there once it is closed
    }
    assertEquals(1, run("list", "--url", "http://127.0.0.1:" + closed));
    assertEquals("hermod queue list: cannot connect to http://127.0.0.1:" + closed
        + " (is Hermod running? see --url)\n", err.toString(StandardCharsets.UTF_8));

    assertEquals(1, run("summary", "--url", "http://no-such-host.invalid:8025/"));
    assertEquals("hermod queue summary: cannot connect to http://no-such-host.invalid:8025 (unknown host; see --url)\n",
        err.toString(StandardCharsets.UTF_8));

    assertEquals(2, run("list", "--url", "127.0.0.1:8025"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("hermod queue: --url 127.0.0.1:8025 is not an http:// URL"
        + " with a host, like http://127.0.0.1:8025\n"), err.toString(StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    return runWithEnv(Map.of(), args);
  }

  private int runWithEnv(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return new QueueCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
  }
}
