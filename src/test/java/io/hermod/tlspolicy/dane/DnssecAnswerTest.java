package io.hermod.tlspolicy.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermod.tlspolicy.DaneAnswer;
import io.hermod.tlspolicy.dane.DnssecAnswer.Security;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** How a validator's or a trusted resolver's answer reads for DANE, without sockets; and the answer cache. */
class DnssecAnswerTest {

  private static final Name HOST = Name.fromConstantString("mx.dane.test.");

  static Stream<Arguments> validated() {
    return Stream.of(
        Arguments.of("AD, records", response(Rcode.NOERROR, true, a(120)), true, Security.SECURE, 1, 120L),
        Arguments.of("AD, NODATA: the SOA's minimum", response(Rcode.NOERROR, true, null), true, Security.SECURE,
            0, 30L),
        Arguments.of("AD, NXDOMAIN", response(Rcode.NXDOMAIN, true, null), true, Security.SECURE, 0, 30L),
        Arguments.of("no AD: proven unsigned", response(Rcode.NOERROR, false, a(120)), true, Security.INSECURE, 1,
            120L),
        Arguments.of("SERVFAIL with the validator's reason", servfail("Could not validate RRset"), true,
            Security.BOGUS, 0, 0L),
        Arguments.of("SERVFAIL: the resolver failed", servfail("Response subtype is UNKNOWN and thus cannot be"
            + " validated."), true, Security.FAILED, 0, 0L),
        Arguments.of("SERVFAIL without a reason", response(Rcode.SERVFAIL, false, null), true, Security.FAILED, 0,
            0L),
        Arguments.of("SERVFAIL outside every anchor", servfail("failed.nodata"), false, Security.INSECURE, 0, 300L),
        Arguments.of("REFUSED", response(Rcode.REFUSED, false, null), true, Security.FAILED, 0, 0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validated")
  void validatorAnswers(String name, Message response, boolean underAnchor, Security security, int records,
                        long ttl) {
    DnssecAnswer answer = DnssecAnswer.ofValidated(response, Type.A, underAnchor);
    assertEquals(security, answer.security());
    assertEquals(records, answer.records().size());
    assertEquals(ttl, answer.ttlSeconds());
  }

  @Test
  void theAdBitOfATrustedResolverAndItsServfail() {
    assertEquals(Security.SECURE, DnssecAnswer.ofAdBit(response(Rcode.NOERROR, true, a(60)), Type.A).security());
    assertEquals(Security.INSECURE, DnssecAnswer.ofAdBit(response(Rcode.NXDOMAIN, false, null), Type.A).security());
    assertEquals(Security.FAILED, DnssecAnswer.ofAdBit(response(Rcode.SERVFAIL, false, null), Type.A).security());
  }

  @Test
  void aCnameOnTheWayCountsForTheTtlNotAsARecord() throws Exception {
    Message m = response(Rcode.NOERROR, true, null);
    m.removeAllRecords(Section.AUTHORITY);
    m.addRecord(new CNAMERecord(HOST, DClass.IN, 10, Name.fromConstantString("real.dane.test.")), Section.ANSWER);
    m.addRecord(new ARecord(Name.fromConstantString("real.dane.test."), DClass.IN, 600,
        InetAddress.getByName("127.0.0.1")), Section.ANSWER);
    DnssecAnswer answer = DnssecAnswer.ofValidated(m, Type.A, true);
    assertEquals(1, answer.records().size());
    assertEquals(10, answer.ttlSeconds());
  }

  @Test
  void theCacheKeepsAnswersForTheirTtlAndTheMostRecentlyUsedOnes() {
    long[] now = {0};
    DaneCache cache = new DaneCache(2, () -> now[0]);
    DaneAnswer secure = new DaneAnswer(DaneAnswer.Security.SECURE, List.of());
    cache.put("a:25", secure, 10);
    cache.put("b:25", DaneAnswer.INSECURE, 100);
    cache.put("zero:25", secure, 0); // not kept: a failed lookup
    assertEquals(2, cache.size());
    now[0] = 9_999_999_999L; // just under 10 s
    assertEquals(secure, cache.get("a:25"));
    now[0] = 10_000_000_000L;
    assertNull(cache.get("a:25"), "expired");
    cache.put("c:25", secure, 100);
    assertEquals(DaneAnswer.INSECURE, cache.get("b:25")); // b is now the most recently used
    cache.put("d:25", secure, 100); // evicts c, the least recently used
    assertNull(cache.get("c:25"));
    assertEquals(DaneAnswer.INSECURE, cache.get("b:25"));
    assertEquals(2, cache.size());
  }

  @Test
  void addressSecurityIsTheLeastSecureOfAAndAaaa() {
    assertEquals(Security.SECURE, DaneLookups.addressSecurity(Security.SECURE, Security.SECURE));
    assertEquals(Security.INSECURE, DaneLookups.addressSecurity(Security.SECURE, Security.INSECURE));
    assertEquals(Security.FAILED, DaneLookups.addressSecurity(Security.INSECURE, Security.FAILED));
    assertEquals(Security.BOGUS, DaneLookups.addressSecurity(Security.FAILED, Security.BOGUS));
  }

  private static Record a(long ttl) {
    try {
      return new ARecord(HOST, DClass.IN, ttl, InetAddress.getByName("127.0.0.1"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Message response(int rcode, boolean ad, Record answer) {
    Message m = new Message();
    m.getHeader().setFlag(Flags.QR);
    if (ad) {
      m.getHeader().setFlag(Flags.AD);
    }
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(HOST, Type.A, DClass.IN), Section.QUESTION);
    if (answer != null) {
      m.addRecord(answer, Section.ANSWER);
    } else if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
      m.addRecord(new SOARecord(Name.fromConstantString("dane.test."), DClass.IN, 60,
          Name.fromConstantString("ns.dane.test."), Name.fromConstantString("h.dane.test."), 1, 1, 1, 1, 30),
          Section.AUTHORITY);
    }
    return m;
  }

  private static Message servfail(String reason) {
    Message m = response(Rcode.SERVFAIL, false, null);
    m.addRecord(new TXTRecord(Name.root, ValidatingResolver.VALIDATION_REASON_QCLASS, 0, reason),
        Section.ADDITIONAL);
    return m;
  }
}
