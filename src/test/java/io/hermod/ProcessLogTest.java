package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.HermodProcess;
import io.hermod.testing.SmtpLineClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads on stderr of a real Hermod process (issue #16): a start without other libraries'
 * noise, and the log of a graceful stop to its end, although java.util.logging's own shutdown hook runs at the
 * same time as Hermod's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessLogTest {

  @TempDir
  Path temp;

  /** A single node on loopback ports chosen by the system, its spool in the test's folder. */
  static Path writeConfig(Path dir) throws Exception {
    Path conf = dir.resolve("hermod.json");
    Files.writeString(conf, new JsonObject()
        .put("hostname", "log.hermod.test")
        .put("localDomains", new JsonArray().add("local.test"))
        .put("listeners", new JsonArray().add(new JsonObject()
            .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx")))
        .put("spool", new JsonObject().put("directory", dir.resolve("spool").toString()))
        .put("http", new JsonObject().put("port", 0))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:9")).put("timeoutMillis", 500))
        .put("shutdownGraceSeconds", 5)
        .encodePrettily());
    return conf;
  }

  @Test
  void aSigtermDrainIsLoggedUntilTheLastLine() throws Exception {
    try (HermodProcess hermod = HermodProcess.start(writeConfig(temp))) {
      hermod.awaitLog("io.hermod.Main: started in ", 30);
      try (SmtpLineClient idle = SmtpLineClient.connect("127.0.0.1", hermod.port())) {
        idle.expect(220);
        idle.send("EHLO client.test").expect(250);
        hermod.stop(); // SIGTERM: the idle session is closed with 421 4.3.2
      }
      String log = hermod.log();
      assertEquals(143, hermod.exitValue(), log); // 128 + SIGTERM, after the shutdown hooks ran
      List<String> after = log.lines().dropWhile(l -> !l.contains("io.hermod.Hermod: draining: ")).toList();
      assertTrue(!after.isEmpty(), "no drain line:\n" + log);
      assertTrue(after.get(0).contains("1 session(s) open, transactions in flight have up to 5 s to finish"),
          after.get(0));
      assertTrue(after.stream().anyMatch(l -> l.contains("disconnect from [127.0.0.1] listener=mx")
          && l.endsWith("end=drain")), "no end=drain session summary:\n" + log);
      assertTrue(after.stream().anyMatch(l -> l.contains("spool: closed")), "no spool close line:\n" + log);
      assertTrue(after.get(after.size() - 1).endsWith("io.hermod.Main: stopped"), "not the last line:\n" + log);
      assertOnlyHermodsOwnLines(log);
    }
  }

  /**
   * A clean start prints Hermod's lines only: no "SLF4J: No SLF4J providers" (slf4j-jdk14 routes SLF4J to
   * java.util.logging) and no Micrometer warning about Vert.x's gauges registered again (LogNoise).
   */
  static void assertOnlyHermodsOwnLines(String log) {
    assertTrue(log.lines().findFirst().orElse("").matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z INFO .*"),
        "the first line is not a log record:\n" + log);
    assertTrue(log.lines().noneMatch(l -> l.contains("SLF4J")), log);
    assertTrue(log.lines().noneMatch(l -> l.contains("has been already registered")), log);
  }
}
