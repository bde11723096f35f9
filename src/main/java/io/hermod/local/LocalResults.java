package io.hermod.local;

import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DeliveryReport.Outcome;

import java.util.List;

/** The one place that maps reply codes of local transports to outcomes. */
final class LocalResults {

  private LocalResults() {
  }

  /** 2xx delivered, 5xx failed; 4xx (and a nonsensical 1xx/3xx final reply) deferred. */
  static Outcome outcomeOf(int code) {
    return code / 100 == 2 ? Outcome.DELIVERED : code / 100 == 5 ? Outcome.FAILED : Outcome.DEFERRED;
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
