package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.admin.QueueCommand;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
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
    try (TestHermod h = TestHermod.start(temp, conf)) {
      String url = "http://127.0.0.1:" + h.httpPort();
      String id = Mail.send(h, "alice@client.example", "bob@local.test");

      assertEquals(0, run("list", "--url", url, "--token", "tok"), err.toString());
      String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
      assertTrue(lines[0].startsWith("ID"), lines[0]);
      assertTrue(lines[1].startsWith(id) && lines[1].contains("alice@client.example")
          && lines[1].contains("bob@local.test (pending)"), lines[1]);
      assertEquals("1 message(s)", lines[2]);

      int status = 409;
      for (int i = 0; i < 200 && status != 0; i++) { // 1 while the router's start-up scan holds it (409)
        status = run("hold", id, "--url", url, "--token", "tok");
      }
      assertEquals(0, status, err.toString());
      assertTrue(out.toString().contains(id + " held"), out.toString());

      assertEquals(0, runWithEnv(Map.of("HERMOD_ADMIN_TOKEN", "tok"), "show", id, "--url", url));
      assertEquals(0, runWithEnv(Map.of("HERMOD_HTTP_ADMIN_TOKEN", "tok"), "show", id, "--url", url));
      assertTrue(out.toString().contains("held:         true"), out.toString());

      assertEquals(0, run("summary", "--url", url, "--token", "tok"));
      assertTrue(out.toString().lines().anyMatch(l -> l.matches("local\\.test\\s+1\\s+1\\s+0.*")), out.toString());

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
