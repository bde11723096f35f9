package io.hermod.routing;

import io.hermod.config.LocalTransport;
import io.hermod.delivery.DeliveryJob;
import io.hermod.egress.EgressSelector;
import io.hermod.local.LocalJob;
import io.hermod.smtp.Xtext;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the {@link DeliveryJob} (with ESMTP parameters) or {@link LocalJob} for some recipients of a message. */
final class JobFactory {

  private JobFactory() {
  }

  /**
   * The job, from the egress source {@code egress} picks for it: by the message's pool (its submit request's,
   * its user's, its sender domain's or the default) and a weighted pick among the pool's sources
   * (docs/delivery.md "Sources and pools"); null = the default source.
   */
  static DeliveryJob job(Envelope env, Spool.Content content, String destination, List<DeliveryJob.Host> hosts,
                         List<Recipient> recipients, String site, EgressSelector egress) {
    List<DeliveryJob.Rcpt> rcpts = recipients.stream()
        .map(r -> new DeliveryJob.Rcpt(r.address(), rcptParams(r))).toList();
    String source = egress.source(env.pool(), env.authIdentity(), env.sender(), site);
    return new DeliveryJob(env.id(), destination, hosts, env.sender(), rcpts, mailParams(env), env.smtpUtf8(),
        content.file().toString(), content.offset(), content.length(), env.prependHeaders(), site, source);
  }

  static LocalJob localJob(Envelope env, Spool.Content content, String domain, LocalTransport transport,
                           List<Recipient> recipients) {
    return new LocalJob(env.id(), domain, transport, env.sender(),
        recipients.stream().map(Recipient::address).toList(), content.file().toString(), content.offset(),
        content.length(), env.prependHeaders());
  }

  /**
   * RFC 6152/3030 BODY, RFC 3461 RET and ENVID (xtext), RFC 4954 §5 AUTH (xtext, the submitter an authenticated
   * client named), RFC 8689 REQUIRETLS to pass on; the client drops what the peer lacks (and fails a REQUIRETLS
   * message at a peer that lacks REQUIRETLS).
   */
  static String mailParams(Envelope env) {
    List<String> params = new ArrayList<>();
    if (env.body() != BodyType.SEVEN_BIT) {
      params.add("BODY=" + env.body().keyword());
    }
    if (env.ret() != null) {
      params.add("RET=" + env.ret().name());
    }
    if (env.envid() != null) {
      params.add("ENVID=" + io.hermod.smtp.Xtext.encode(env.envid()));
    }
    if (env.authSubmitter() != null) {
      params.add("AUTH=" + io.hermod.smtp.Xtext.encode(env.authSubmitter()));
    }
    if (env.tlsRequest() == io.hermod.spool.TlsRequest.REQUIRETLS) {
      params.add("REQUIRETLS"); // RFC 8689 §4.2.1: passed on to every next hop
    }
    return String.join(" ", params);
  }

  /** RFC 3461 §4.1 NOTIFY and §4.2 ORCPT ("addr-type;xtext"). */
  static String rcptParams(Recipient r) {
    List<String> params = new ArrayList<>();
    if (!r.notifyOn().isEmpty()) {
      params.add("NOTIFY=" + r.notifyOn().stream().sorted().map(DsnNotify::name).collect(Collectors.joining(",")));
    }
    if (r.orcpt() != null) {
      int semi = r.orcpt().indexOf(';');
      params.add(semi > 0
          ? "ORCPT=" + r.orcpt().substring(0, semi) + ";" + io.hermod.smtp.Xtext.encode(r.orcpt().substring(semi + 1))
          : "ORCPT=rfc822;" + io.hermod.smtp.Xtext.encode(r.orcpt()));
    }
    return String.join(" ", params);
  }
}
