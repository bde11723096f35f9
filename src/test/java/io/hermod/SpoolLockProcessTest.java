package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.admin.QueueCommand;
import io.hermod.testing.HermodProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one spool, as an operator would start them (issue #16): the second process exits at once
 * with one line naming the spool directory and the first one's process id; the queue CLI, which only talks to
 * the running instance, works all along.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpoolLockProcessTest {

  private static final Pattern PID = Pattern.compile("io\\.hermod\\.Main: started in \\d+ ms \\(pid (\\d+)\\)");
  private static final Pattern HTTP = Pattern.compile("operations http \\(metrics, health, queue admin\\) on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path temp;

  @Test
  void aSecondProcessOnTheSameSpoolNamesTheDirectoryAndTheHolder() throws Exception {
    Path conf = ProcessLogTest.writeConfig(temp);
    try (HermodProcess first = HermodProcess.start(conf)) {
      first.awaitLog("io.hermod.Main: started in ", 30);
      Matcher pid = PID.matcher(first.log());
      assertTrue(pid.find(), first.log());

      Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "io.hermod.Main", "-conf", conf.toString())
          .redirectErrorStream(true).start();
      String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(second.waitFor(30, TimeUnit.SECONDS));
      assertEquals(1, second.exitValue(), output);
      Path spool = temp.resolve("spool").toAbsolutePath();
      assertTrue(output.contains("hermod: cannot start: spool " + spool + " is in use by process " + pid.group(1)
          + " (lock " + spool.resolve("hermod.lock") + "): two instances must not share a spool"), output);
      assertTrue(!output.contains("listening for"), "the second one bound a port:\n" + output);

      Matcher http = HTTP.matcher(first.log());
      assertTrue(http.find(), first.log());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = new QueueCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
          .run(new String[] {"list", "--url", "http://127.0.0.1:" + http.group(1)});
      assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
      assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("0 message(s)\n"), out.toString(StandardCharsets.UTF_8));
      first.stop();
      assertTrue(first.log().contains("io.hermod.Main: stopped"), first.log());
    }
  }
}
