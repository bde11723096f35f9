package io.hermod.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark harness's own tests (benchmarks/test_*.py: the strace and perf sync counters on a real process
 * tree, the percentiles and histogram, the report and README table) run with the suite, so a broken counter
 * cannot hide until the next benchmark run. They need python3, strace and Postfix's smtp-source/smtp-sink
 * (.ci/run installs them).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchmarkHarnessTest {

  @Test
  void theHarnessTestsPass() throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-m", "unittest", "discover", "-s", "benchmarks",
        "-p", "test_*.py").directory(Path.of(".").toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(100, TimeUnit.SECONDS), output);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("OK"), output);
  }
}
