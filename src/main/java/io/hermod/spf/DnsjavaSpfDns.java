package io.hermod.spf;

import io.hermod.routing.DnsAnswer;
import io.hermod.routing.DnsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@link SpfDns} on the project's dnsjava client: lookups on its executor, answers on the caller's context. */
public final class DnsjavaSpfDns implements SpfDns {

  private final Vertx vertx;
  private final DnsClient dns;

  public DnsjavaSpfDns(Vertx vertx, DnsClient dns) {
    this.vertx = vertx;
    this.dns = dns;
  }

  @Override
  public Future<Answer> txt(String name) {
    return query(name, Type.TXT);
  }

  @Override
  public Future<Answer> addresses(String name, boolean ipv6) {
    return query(name, ipv6 ? Type.AAAA : Type.A);
  }

  @Override
  public Future<Answer> mx(String name) {
    return query(name, Type.MX);
  }

  private Future<Answer> query(String name, int type) {
    Name absolute;
    try {
      absolute = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return Future.succeededFuture(new Answer(Kind.NX_DOMAIN, List.of()));
    }
    return dns.query(absolute, type, vertx.getOrCreateContext()).map(a -> answer(a, type));
  }

  private static Answer answer(DnsAnswer a, int type) {
    Kind kind = Kind.valueOf(a.kind().name());
    List<String> values = new ArrayList<>();
    for (Record r : a.records()) {
      if (r instanceof TXTRecord t && type == Type.TXT) {
        values.add(String.join("", t.getStrings())); // RFC 7208 §3.3: strings joined without spaces
      } else if (r instanceof ARecord ar && type == Type.A) {
        values.add(ar.getAddress().getHostAddress());
      } else if (r instanceof AAAARecord ar && type == Type.AAAA) {
        values.add(ar.getAddress().getHostAddress());
      } else if (r instanceof MXRecord mx && type == Type.MX) {
        values.add(mx.getTarget().toString(true));
      }
    }
    return new Answer(kind == Kind.RECORDS && values.isEmpty() ? Kind.NO_DATA : kind, values);
  }
}
