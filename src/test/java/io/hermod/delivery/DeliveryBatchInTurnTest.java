package io.hermod.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryBatch#inTurn}: which jobs run and which reports come back, table-driven. A job is a letter:
 * d = delivered, u = unreachable, f = its run failed (not attempted), t = its run threw.
 */
class DeliveryBatchInTurnTest {

  private static final RuntimeException NOT_ATTEMPTED = new RuntimeException("busy");

  private record Case(String jobs, String ran, String reported, boolean fails) {
  }

  private static final List<Case> CASES = List.of(
      new Case("d", "d", "d", false),
      new Case("ddd", "ddd", "ddd", false),
      new Case("dud", "du", "du", false),
      new Case("udd", "u", "u", false),
      new Case("ddu", "ddu", "ddu", false),
      new Case("dfd", "df", "d", false),
      new Case("dtd", "dt", "d", false),
      new Case("fdd", "f", "", true),
      new Case("tdd", "t", "", true));

  @Test
  void eachCase() throws Exception {
    for (Case c : CASES) {
      List<Character> jobs = new ArrayList<>();
      c.jobs().chars().forEach(ch -> jobs.add((char) ch));
      StringBuilder ran = new StringBuilder();
      StringBuilder progress = new StringBuilder();
      Future<List<DeliveryReport>> result = DeliveryBatch.inTurn(jobs, job -> {
        ran.append(job);
        return switch (job) {
          case 'd' -> Future.succeededFuture(report("d", false));
          case 'u' -> Future.succeededFuture(report("u", true));
          case 'f' -> Future.failedFuture(NOT_ATTEMPTED);
          default -> throw NOT_ATTEMPTED;
        };
      }, (index, report) -> progress.append(index).append(report.results().get(0).address()));
      assertEquals(c.ran(), ran.toString(), c.jobs() + ": the jobs run");
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < c.reported().length(); i++) {
        expected.append(i).append(c.reported().charAt(i));
      }
      assertEquals(expected.toString(), progress.toString(), c.jobs() + ": each report told as it came, with its index");
      if (c.fails()) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> result.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS), c.jobs());
        assertSame(NOT_ATTEMPTED, e.getCause(), c.jobs() + ": the first job's failure");
      } else {
        List<DeliveryReport> reports = result.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(c.reported(), String.join("", reports.stream().map(r -> r.results().get(0).address()).toList()),
            c.jobs() + ": the reports, in order");
      }
    }
  }

  /** Runs that end at once follow each other in a loop, not in nested calls: no stack overflow. */
  @Test
  void aHundredThousandJobsThatEndAtOnceKeepTheStackFlat() throws Exception {
    List<Integer> jobs = java.util.stream.IntStream.range(0, 100_000).boxed().toList();
    int[] told = {0};
    List<DeliveryReport> reports = DeliveryBatch.inTurn(jobs, job -> Future.succeededFuture(report("d", false)),
        (index, report) -> told[0]++).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(100_000, reports.size());
    assertEquals(100_000, told[0]);
  }

  @Test
  void aBatchNeedsAJobAndKeepsItsOwnCopy() {
    assertThrows(IllegalArgumentException.class, () -> new DeliveryBatch(List.of()));
    List<DeliveryJob> jobs = new ArrayList<>(List.of(job()));
    DeliveryBatch batch = new DeliveryBatch(jobs);
    jobs.clear();
    assertEquals(1, batch.jobs().size());
  }

  private static DeliveryJob job() {
    return new DeliveryJob("Q", "d.test", List.of(), "", List.of(new DeliveryJob.Rcpt("a@d.test", "")), "", false,
        "/nonexistent", 0, 1);
  }

  private static DeliveryReport report(String name, boolean unreachable) {
    return new DeliveryReport(null, null, List.of(new DeliveryReport.Result(name,
        unreachable ? DeliveryReport.Outcome.DEFERRED : DeliveryReport.Outcome.DELIVERED, unreachable ? 451 : 250,
        unreachable ? "4.4.1" : "2.0.0", "x", !unreachable)), unreachable);
  }
}
