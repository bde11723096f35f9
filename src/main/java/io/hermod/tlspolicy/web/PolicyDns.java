package io.hermod.tlspolicy.web;

import io.vertx.core.Future;

import java.net.InetAddress;
import java.util.List;

/**
 * The DNS questions of MTA-STS and TLS-RPT: a TXT record set ({@code _mta-sts.<domain>}, {@code _smtp._tls.<domain>})
 * and the addresses of a policy or report host. Answers complete on the caller's context.
 */
public interface PolicyDns {

  /** A TXT answer: each record's strings joined (RFC 8461 §3.1, RFC 8460 §3), or why there is none. */
  record Txt(Kind kind, List<String> texts, String failure) {

    public enum Kind { RECORDS, NONE, FAILED }

    public Txt {
      texts = List.copyOf(texts);
    }
  }

  Future<Txt> txt(String name);

  /** The host's addresses, IPv4 first; fails when there are none. */
  Future<List<InetAddress>> addresses(String host);
}
