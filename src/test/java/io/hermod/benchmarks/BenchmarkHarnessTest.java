package io.hermod.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark harness's own tests (benchmarks/test_*.py: the strace and perf sync counters on a real process
 * tree, the percentiles and histogram, the report and README table) run with the suite, so a broken counter
 * cannot hide until the next benchmark run. They need python3, strace and Postfix's smtp-source/smtp-sink, which
 * .ci/run installs: a missing one fails here instead of letting the Python tests skip and pass. Only perf is
 * optional (its counter's tests skip without it; the benchmark reports that column as FAILED then).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchmarkHarnessTest {

  @Test
  void theHarnessTestsPassWithNothingSkippedButPerf() throws Exception {
    for (String tool : List.of("strace", "smtp-source", "smtp-sink")) {
      assertTrue(onPath(tool), tool + " is not installed (.ci/run installs it)");
    }
    Process p = new ProcessBuilder("/usr/bin/python3", "-m", "unittest", "discover", "-v", "-s", "benchmarks",
        "-p", "test_*.py").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(100, TimeUnit.SECONDS), output);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("\nOK"), output);
    List<String> skipped = output.lines().filter(l -> l.contains("... skipped")).toList();
    assertTrue(skipped.stream().allMatch(l -> l.contains("perf")), "skipped for another reason than perf: " + skipped);
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
        + "/usr/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
