package io.hermod.tlspolicy.dane;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * One DNSSEC question's answer as DANE needs it: is it secure, and its records of the asked type (empty for a
 * NODATA or NXDOMAIN answer). Pure: built from the response message.
 *
 * @param security  SECURE (validated: AD), INSECURE (provably unsigned), BOGUS (validation failed) or FAILED (no
 *                  usable answer: timeout, SERVFAIL of the resolver itself, REFUSED)
 * @param records   the answer's records of the asked type (CNAMEs followed by the resolver are left out)
 * @param ttlSeconds how long the answer may be kept: the smallest TTL of the answer's records, or of the SOA of a
 *                  negative answer (RFC 2308 §5)
 * @param detail    why, for logs: the validator's reason for BOGUS or FAILED, else null
 */
public record DnssecAnswer(Security security, List<Record> records, long ttlSeconds, String detail) {

  public enum Security { SECURE, INSECURE, BOGUS, FAILED }

  /** The TTL of a negative answer without a SOA. */
  static final long DEFAULT_NEGATIVE_TTL = 300;
  /** What dnsjava's ValidatingResolver says when the resolver it asked could not answer (not a DNSSEC failure). */
  private static final String UPSTREAM_FAILED = "Response subtype is UNKNOWN";

  public DnssecAnswer {
    records = List.copyOf(records);
  }

  static DnssecAnswer failed(String detail) {
    return new DnssecAnswer(Security.FAILED, List.of(), 0, detail);
  }

  /**
   * The answer of dnsjava's ValidatingResolver: AD set means it validated; NOERROR or NXDOMAIN without AD means it
   * proved the answer unsigned; SERVFAIL carries its reason (a TXT record of class
   * {@link ValidatingResolver#VALIDATION_REASON_QCLASS}). A SERVFAIL for a name under no trust anchor is insecure,
   * not bogus: dnsjava 3.6.5 fails a NODATA answer there it cannot classify (shared/DESIGN.md).
   *
   * @param type        the asked type
   * @param underAnchor whether a trust anchor covers the asked name
   */
  static DnssecAnswer ofValidated(Message response, int type, boolean underAnchor) {
    int rcode = response.getRcode();
    if (rcode == Rcode.SERVFAIL) {
      String reason = validationReason(response);
      if (!underAnchor) {
        return new DnssecAnswer(Security.INSECURE, List.of(), DEFAULT_NEGATIVE_TTL, null);
      }
      if (reason == null || reason.startsWith(UPSTREAM_FAILED)) {
        return failed("the resolver answered SERVFAIL" + (reason == null ? "" : " (" + reason + ")"));
      }
      return new DnssecAnswer(Security.BOGUS, List.of(), 0, reason);
    }
    return ofAdBit(response, type);
  }

  /**
   * The answer of a validating resolver whose AD bit is trusted (RFC 6840 §5.7, RFC 7672 §2.1.1): AD means secure;
   * NOERROR or NXDOMAIN without it, insecure; anything else (SERVFAIL is how a validating resolver reports a bogus
   * answer, but also its own failures) failed.
   */
  static DnssecAnswer ofAdBit(Message response, int type) {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return failed("the resolver answered " + Rcode.string(rcode));
    }
    Security security = response.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE;
    List<Record> records = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (RRset set : response.getSectionRRsets(Section.ANSWER)) {
      ttl = Math.min(ttl, set.getTTL()); // a CNAME on the way counts too: the answer ends with it
      if (set.getType() == type) {
        records.addAll(set.rrs());
      }
    }
    if (records.isEmpty()) {
      ttl = negativeTtl(response);
    }
    return new DnssecAnswer(security, records, ttl, null);
  }

  /** RFC 2308 §5: the smaller of the SOA's TTL and its minimum field. */
  private static long negativeTtl(Message response) {
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return Math.min(soa.getTTL(), soa.getMinimum());
      }
    }
    return DEFAULT_NEGATIVE_TTL;
  }

  private static String validationReason(Message response) {
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.TXT && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join("", ((TXTRecord) r).getStrings());
      }
    }
    return null;
  }
}
