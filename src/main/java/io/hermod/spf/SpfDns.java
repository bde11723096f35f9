package io.hermod.spf;

import io.vertx.core.Future;
import java.util.List;

/** The DNS queries an SPF evaluation needs; every future completes on the caller's Vert.x context. */
public interface SpfDns {

  /** Kinds of answer, as RFC 7208 §4.4 and §4.6.4 tell them apart. */
  enum Kind { RECORDS, NO_DATA, NX_DOMAIN, FAILED }

  /**
   * @param values TXT strings (each record's strings joined, §3.3), IP addresses, or MX host names
   */
  record Answer(Kind kind, List<String> values) {
    public Answer {
      values = List.copyOf(values);
    }

    boolean isVoid() {
      return kind == Kind.NO_DATA || kind == Kind.NX_DOMAIN;
    }
  }

  Future<Answer> txt(String name);

  /** A records (ipv6 false) or AAAA records (ipv6 true), as address strings. */
  Future<Answer> addresses(String name, boolean ipv6);

  /** MX targets, lowest preference first does not matter here. */
  Future<Answer> mx(String name);
}
