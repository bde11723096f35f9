package io.hermod.delivery;

import io.hermod.smtp.ServerReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 5321 §5.1: tries a job's hosts in order until one greets and accepts EHLO/HELO (and STARTTLS as the
 * TLS policy demands). A refused or timed-out connection, a 4xx/5xx greeting or a refused EHLO moves on to
 * the next host; like Postfix, even a 5xx greeting only means "try the next MX", and when every host fails
 * the recipients are deferred, never bounced.
 */
final class HostFailover {

  /** The host that answered and its ready session. */
  record Connected(DeliveryJob.Host host, SmtpClientSession session) {
  }

  /** Every host failed; {@link #reply()} is what each recipient gets (451, transient status, every host's story). */
  static final class AllHostsFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ServerReply reply;

    AllHostsFailed(ServerReply reply) {
      super(reply.toString(), null, false, false);
      this.reply = reply;
    }

    ServerReply reply() {
      return reply;
    }
  }

  /** A host was passed over because it is at {@code delivery.maxConnectionsPerHost}: the job is not attempted. */
  static final class HostsBusy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HostsBusy(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final NetClient netClient;
  private final ClientOptions options;

  HostFailover(Vertx vertx, NetClient netClient, ClientOptions options) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.options = options;
  }

  /**
   * The first host that works, or a failed future: {@link HostsBusy} when a host was skipped for being at its
   * connection cap (a busier host must not turn into a deferral), else {@link AllHostsFailed}. The host slot
   * taken from {@code pool} stays with the session on success.
   */
  Future<Connected> connect(List<DeliveryJob.Host> hosts, ConnectionPool pool) {
    return attempt(hosts, pool, 0, new ArrayList<>(), null, false);
  }

  private Future<Connected> attempt(List<DeliveryJob.Host> hosts, ConnectionPool pool, int i, List<String> stories,
                                    ServerReply last, boolean skipped) {
    if (i == hosts.size() && skipped) {
      return Future.failedFuture(new HostsBusy(String.join("; ", stories)));
    }
    if (i == hosts.size()) {
      String text = hosts.isEmpty() ? "no host to try" : String.join("; ", stories);
      String status = last == null ? "4.4.0" : last.enhancedStatus();
      return Future.failedFuture(new AllHostsFailed(ServerReply.local(451, status, text)));
    }
    DeliveryJob.Host host = hosts.get(i);
    if (!pool.tryHost(host)) {
      stories.add(DeliveryLog.relay(host) + ": at its connection cap");
      return attempt(hosts, pool, i + 1, stories, last, true);
    }
    return SmtpClientSession.connect(vertx, netClient, options, host.name(),
            SocketAddress.inetSocketAddress(host.port(), host.address()), host.tls())
        .map(session -> new Connected(host, session))
        .recover(t -> {
          pool.releaseHost(host);
          ServerReply failure = transientReplyOf(t);
          stories.add(DeliveryLog.relay(host) + ": " + story(t));
          return attempt(hosts, pool, i + 1, stories, failure, skipped);
        });
  }

  /** What the failure means for the recipients: always transient (the next attempt may find a host up). */
  private static ServerReply transientReplyOf(Throwable t) {
    if (!(t instanceof SmtpClientException)) {
      return ServerReply.local(451, "4.4.1", "connection failed");
    }
    SmtpClientException e = (SmtpClientException) t;
    ServerReply r = e.reply() != null ? e.reply() : e.asReply();
    return r.isTransient() && r.enhancedStatus() != null ? r : ServerReply.local(451, Outcomes.transientStatus(r), r.text());
  }

  private static String story(Throwable t) {
    if (!(t instanceof SmtpClientException)) {
      return "connection failed: " + t.getMessage();
    }
    SmtpClientException e = (SmtpClientException) t;
    String stage = e.stage().name().toLowerCase(java.util.Locale.ROOT);
    if (e.kind() == SmtpClientException.Kind.TLS_FAILED) {
      return e.asReply().text(); // our own 4.7.x: the policy and why it was not met
    }
    if (e.reply() != null) {
      return "refused to talk to me at " + stage + ": " + e.reply();
    }
    if (e.kind() == SmtpClientException.Kind.CONNECT_FAILED && e.getCause() != null) {
      return "connection failed: " + e.getCause().getMessage();
    }
    return e.asReply().text();
  }
}
