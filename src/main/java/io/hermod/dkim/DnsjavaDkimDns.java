package io.hermod.dkim;

import io.hermod.routing.DnsAnswer;
import io.hermod.routing.DnsClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link DkimDns} on the project's dnsjava client (its executor, resolvers and cache), the answer on the
 * caller's context. Each lookup is bounded by the configured DNS timeout, so a silent resolver delays the
 * reply to the end of data by at most that much (then temperror).
 */
public final class DnsjavaDkimDns implements DkimDns {

  private final Vertx vertx;
  private final DnsClient dns;
  private final long timeoutMillis;

  public DnsjavaDkimDns(Vertx vertx, DnsClient dns, long timeoutMillis) {
    this.vertx = vertx;
    this.dns = dns;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<List<String>> txt(String name) {
    Name absolute;
    try {
      absolute = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return Future.succeededFuture(List.of()); // not a DNS name: no key there
    }
    Promise<List<String>> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> result.tryFail("DNS timeout for TXT " + name));
    dns.query(absolute, Type.TXT, vertx.getOrCreateContext()).onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.failed() || done.result().kind() == DnsAnswer.Kind.FAILED) {
        result.tryFail("DNS failure for TXT " + name);
      } else {
        result.tryComplete(texts(done.result()));
      }
    });
    return result.future();
  }

  private static List<String> texts(DnsAnswer answer) {
    List<String> texts = new ArrayList<>();
    for (Record r : answer.records()) {
      if (r instanceof TXTRecord t) {
        texts.add(String.join("", t.getStrings()));
      }
    }
    return texts;
  }
}
