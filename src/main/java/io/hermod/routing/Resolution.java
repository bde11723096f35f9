package io.hermod.routing;

import java.util.List;

/**
 * What DNS says about where mail for a domain goes. Either {@link Hosts} to try in order, or a
 * {@link Failure} that already knows the reply and enhanced status code (RFC 3463) it implies for every
 * recipient of the domain; that mapping lives only in {@link Status}.
 */
public sealed interface Resolution permits Resolution.Hosts, Resolution.Failure {

  /** Mail exchangers ordered by preference; equal preferences in random order (RFC 5321 §5.1). */
  record Hosts(List<MxHost> hosts) implements Resolution {
    public Hosts {
      hosts = List.copyOf(hosts);
    }
  }

  /** DNS gave no usable destination; {@link #status()} says whether to bounce or defer. */
  sealed interface Failure extends Resolution permits NullMx, NoSuchDomain, Unroutable, TempFail {

    Status status();

    /** Human-readable detail for logs and the DSN's diagnostic text. */
    String detail();

    default int replyCode() {
      return status().replyCode;
    }

    default String enhancedStatus() {
      return status().enhancedStatus;
    }

    /** True: bounce now. False: defer and retry later. */
    default boolean permanent() {
      return status().replyCode >= 500;
    }
  }

  /** The domain publishes a null MX (RFC 7505 §3): it accepts no mail at all. */
  record NullMx(String domain) implements Failure {
    public Status status() {
      return Status.NULL_MX;
    }

    public String detail() {
      return "Domain " + domain + " does not accept mail (null MX)";
    }
  }

  /** NXDOMAIN for the domain (or a malformed domain / IP literal). */
  record NoSuchDomain(String domain) implements Failure {
    public Status status() {
      return Status.NO_SUCH_DOMAIN;
    }

    public String detail() {
      return "Host or domain name not found: " + domain;
    }
  }

  /** The domain exists but has neither MX nor address records. */
  record Unroutable(String domain) implements Failure {
    public Status status() {
      return Status.UNROUTABLE;
    }

    public String detail() {
      return "No MX or address records for " + domain;
    }
  }

  /** SERVFAIL, timeout, network error, or MX hosts that all lack addresses: try again later. */
  record TempFail(String reason) implements Failure {
    public Status status() {
      return Status.TEMP_FAIL;
    }

    public String detail() {
      return reason;
    }
  }

  /** The one table from DNS outcome to SMTP reply and enhanced status code. */
  enum Status {
    /** RFC 7505 §4.2. */
    NULL_MX(556, "5.1.10"),
    /** RFC 3463 X.1.2 "Bad destination system address". */
    NO_SUCH_DOMAIN(550, "5.1.2"),
    /** RFC 3463 X.4.4 "Unable to route". */
    UNROUTABLE(550, "5.4.4"),
    /** RFC 3463 X.4.3 "Directory server failure". */
    TEMP_FAIL(451, "4.4.3");

    public final int replyCode;
    public final String enhancedStatus;

    Status(int replyCode, String enhancedStatus) {
      this.replyCode = replyCode;
      this.enhancedStatus = enhancedStatus;
    }
  }
}
