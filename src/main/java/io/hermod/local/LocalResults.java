package io.hermod.local;

import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DeliveryReport.Outcome;

import java.util.List;

/** The one place that maps reply codes of local transports to outcomes: 2xx delivered, 4xx deferred, 5xx failed. */
final class LocalResults {

  private LocalResults() {
  }

  static Outcome outcomeOf(int code) {
    return code < 400 ? Outcome.DELIVERED : code < 500 ? Outcome.DEFERRED : Outcome.FAILED;
  }

  /** A result we decided ourselves (remote = false), with the outcome of its code. */
  static DeliveryReport.Result local(String address, int code, String status, String text) {
    return new DeliveryReport.Result(address, outcomeOf(code), code, status, text, false);
  }

  /** The same result for every recipient of the job. */
  static DeliveryReport all(LocalJob job, String remoteHost, int code, String status, String text) {
    List<DeliveryReport.Result> results = job.recipients().stream().map(r -> local(r, code, status, text)).toList();
    return new DeliveryReport(remoteHost, null, results);
  }
}
