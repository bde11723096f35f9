package io.hermod.local;

import io.hermod.config.LocalTransport;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Maildir delivery: one file per recipient, each with its own {@code Return-Path} and {@code Delivered-To}
 * (RFC 5321 §4.4: the final delivery adds Return-Path), all file work on the worker executor.
 */
final class MaildirDeliverer implements LocalDeliverer {

  private static final Logger LOG = Logger.getLogger(MaildirDeliverer.class.getName());

  private final WorkerExecutor workers;
  private final MaildirWriter writer;
  private final String hostname;

  MaildirDeliverer(WorkerExecutor workers, String hostname) {
    this.workers = workers;
    this.writer = new MaildirWriter(hostname);
    this.hostname = hostname.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Future<DeliveryReport> deliver(LocalJob job) {
    String template = ((LocalTransport.Maildir) job.transport()).directory();
    // The result comes back on the caller's (the verticle's) context; ordered=false: jobs may run in parallel.
    return workers.executeBlocking(() -> deliverAll(job, template), false);
  }

  private DeliveryReport deliverAll(LocalJob job, String template) {
    List<DeliveryReport.Result> results = new ArrayList<>();
    for (String rcpt : job.recipients()) {
      results.add(deliverOne(job, template, rcpt));
    }
    return new DeliveryReport(null, null, results);
  }

  private DeliveryReport.Result deliverOne(LocalJob job, String template, String rcpt) {
    Path maildir;
    try {
      maildir = MaildirPath.of(template, rcpt, hostname);
    } catch (IllegalArgumentException e) {
      return LocalResults.local(rcpt, 550, "5.1.3", e.getMessage());
    }
    try {
      Path file = writer.deliver(maildir, headers(job.sender(), rcpt, job.prependBytes()), Path.of(job.contentFile()),
          job.contentOffset(), job.contentLength());
      LOG.fine(() -> "queue id " + job.queueId() + ": " + rcpt + " delivered to " + file);
      return LocalResults.local(rcpt, 250, "2.0.0", "delivered to maildir");
    } catch (IOException | RuntimeException e) {
      // A full disk or a permission problem may be fixed by the administrator: retry.
      LOG.warning("queue id " + job.queueId() + ": maildir delivery to " + rcpt + " failed: " + e);
      return LocalResults.local(rcpt, 451, "4.3.0", "maildir delivery failed: " + e.getMessage());
    }
  }

  /**
   * RFC 5322 §3.6.7 trace: Return-Path with the envelope sender ("<>" for bounces), then Delivered-To, then
   * the fields made at acceptance (Authentication-Results).
   */
  static byte[] headers(String sender, String recipient, byte[] prepended) {
    byte[] trace = ("Return-Path: <" + sender + ">\r\nDelivered-To: " + recipient + "\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = java.util.Arrays.copyOf(trace, trace.length + prepended.length);
    System.arraycopy(prepended, 0, all, trace.length, prepended.length);
    return all;
  }
}
