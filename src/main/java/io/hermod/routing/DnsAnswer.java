package io.hermod.routing;

import io.hermod.dns.DnsTimeoutException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

/** The outcome of one (name, type) query, with dnsjava's mix of results and exceptions folded in. */
public record DnsAnswer(Kind kind, List<Record> records, String failure) {

  public enum Kind { RECORDS, NO_DATA, NX_DOMAIN, FAILED }

  public DnsAnswer {
    records = List.copyOf(records);
  }

  /**
   * dnsjava answers "no records of this type" as an empty result when asking the server and as a
   * {@link NoSuchRRSetException} when the negative answer comes from its cache: both are NO_DATA.
   */
  static DnsAnswer of(LookupResult result, Throwable error, Name name, int type) {
    if (error == null) {
      if (result == null || result.getRecords().isEmpty()) {
        return new DnsAnswer(Kind.NO_DATA, List.of(), null);
      }
      return new DnsAnswer(Kind.RECORDS, result.getRecords(), null);
    }
    Throwable cause = unwrap(error);
    if (cause instanceof NoSuchRRSetException) {
      return new DnsAnswer(Kind.NO_DATA, List.of(), null);
    }
    if (cause instanceof NoSuchDomainException) {
      return new DnsAnswer(Kind.NX_DOMAIN, List.of(), null);
    }
    return new DnsAnswer(Kind.FAILED, List.of(),
        "DNS lookup of " + name + "/" + Type.string(type) + " failed: " + describe(cause));
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ServerFailedException) {
      return "SERVFAIL";
    }
    if (cause instanceof DnsTimeoutException) {
      return cause.getMessage(); // "timed out: 3 queries unanswered in 5000 ms", or waiting for a slot
    }
    if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
      return "timed out";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
