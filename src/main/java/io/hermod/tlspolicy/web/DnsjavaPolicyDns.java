package io.hermod.tlspolicy.web;

import io.hermod.routing.DnsAnswer;
import io.hermod.routing.DnsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** {@link PolicyDns} on the project's dnsjava client (its cache, retries and bounds). */
public final class DnsjavaPolicyDns implements PolicyDns {

  private final Vertx vertx;
  private final DnsClient dns;

  public DnsjavaPolicyDns(Vertx vertx, DnsClient dns) {
    this.vertx = vertx;
    this.dns = dns;
  }

  @Override
  public Future<Txt> txt(String name) {
    Name absolute;
    try {
      absolute = absolute(name);
    } catch (TextParseException e) {
      return Future.succeededFuture(new Txt(Txt.Kind.NONE, List.of(), null));
    }
    return dns.query(absolute, Type.TXT, vertx.getOrCreateContext()).map(a -> {
      if (a.kind() == DnsAnswer.Kind.FAILED) {
        return new Txt(Txt.Kind.FAILED, List.of(), a.failure());
      }
      List<String> texts = new ArrayList<>();
      for (Record r : a.records()) {
        if (r instanceof TXTRecord t) {
          texts.add(String.join("", t.getStrings())); // the strings of one record are joined without spaces
        }
      }
      return new Txt(texts.isEmpty() ? Txt.Kind.NONE : Txt.Kind.RECORDS, texts, null);
    });
  }

  @Override
  public Future<List<InetAddress>> addresses(String host) {
    Name absolute;
    try {
      absolute = absolute(host);
    } catch (TextParseException e) {
      return Future.failedFuture(new UnknownHostException(host + ": not a host name"));
    }
    var context = vertx.getOrCreateContext();
    return dns.query(absolute, Type.A, context).compose(v4 -> dns.query(absolute, Type.AAAA, context).map(v6 -> {
      List<InetAddress> all = new ArrayList<>();
      for (Record r : v4.records()) {
        if (r instanceof ARecord a) {
          all.add(a.getAddress());
        }
      }
      for (Record r : v6.records()) {
        if (r instanceof AAAARecord a) {
          all.add(a.getAddress());
        }
      }
      return all;
    })).compose(all -> all.isEmpty()
        ? Future.failedFuture(new UnknownHostException(host + ": no address record"))
        : Future.succeededFuture(all));
  }

  private static Name absolute(String name) throws TextParseException {
    return Name.fromString(name.endsWith(".") ? name : name + ".");
  }
}
