package io.hermod.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-signed zone made in the test (RFC 4034/4035), answered as a validating recursive resolver would answer
 * for it: one ECDSA P-256 key (algorithm 13) signs every RRset, DNSKEY included; NSEC records prove NODATA and
 * NXDOMAIN (with the wildcard proof); RRSIGs and NSECs only for queries with DO. Its DS record, as the trust anchor
 * a validator starts from, is {@link #trustAnchor()}. Plug it into a {@link TestDnsServer} with
 * {@code answerWith(zone::answer)}.
 *
 * <p>Faults: {@link #tamper} (a signature that does not verify) and {@link #expire} (signatures whose validity
 * ended yesterday) for one owner name; {@link #unsignedDelegation} makes a child zone without a DS (its data is
 * served unsigned, the parent's NSEC proves there is no DS: provably insecure). Like a validating resolver, it sets
 * AD on answers from signed, intact data unless the query has CD, and answers SERVFAIL for a tampered or expired
 * name (then, with CD, the data itself).
 */
public final class SignedZone {

  private static final long TTL = 300;
  private static final long NEGATIVE_TTL = 60;

  private final Name origin;
  private final KeyPair keys;
  private final DNSKEYRecord dnskey;
  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> tampered = ConcurrentHashMap.newKeySet();
  private final Set<Name> expired = ConcurrentHashMap.newKeySet();
  private final Set<Name> delegations = ConcurrentHashMap.newKeySet();

  public SignedZone(String origin) {
    this.origin = name(origin);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = generator.generateKeyPair();
      this.dnskey = new DNSKEYRecord(this.origin, DClass.IN, TTL, 257, DNSKEYRecord.Protocol.DNSSEC,
          DNSSEC.Algorithm.ECDSAP256SHA256, keys.getPublic());
    } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
    add(new SOARecord(this.origin, DClass.IN, NEGATIVE_TTL, name("ns." + origin), name("hostmaster." + origin),
        1, 3600, 600, 86400, NEGATIVE_TTL));
    add(dnskey);
    sign(List.of(dnskey)); // warms the JDK's EC provider up here, not in the server's first answer
  }

  /** The zone's DS record in zone-file format: what outboundTls.dane.trustAnchorFile holds. */
  public String trustAnchor() {
    return new DSRecord(origin, DClass.IN, TTL, DNSSEC.Digest.SHA256, dnskey) + "\n";
  }

  /** The zone's DNSKEY record in zone-file format: the other form a trust anchor file may take. */
  public String trustAnchorKey() {
    return dnskey + "\n";
  }

  public SignedZone a(String host, String ip) {
    return add(new ARecord(name(host), DClass.IN, TTL, ip(ip)));
  }

  public SignedZone aaaa(String host, String ip) {
    return add(new AAAARecord(name(host), DClass.IN, TTL, ip(ip)));
  }

  public SignedZone txt(String owner, String text) {
    return add(new TXTRecord(name(owner), DClass.IN, TTL, text));
  }

  /** A TLSA record at {@code owner} (e.g. "_25._tcp.mx.dane.test"). */
  public SignedZone tlsa(String owner, int usage, int selector, int matchingType, byte[] data) {
    return add(new TLSARecord(name(owner), DClass.IN, TTL, usage, selector, matchingType, data));
  }

  /** A child zone at {@code child} with no DS: records added under it are served unsigned. */
  public SignedZone unsignedDelegation(String child) {
    Name c = name(child);
    delegations.add(c);
    add(new NSRecord(c, DClass.IN, TTL, name("ns." + child)));
    return add(new SOARecord(c, DClass.IN, NEGATIVE_TTL, name("ns." + child), name("hostmaster." + child),
        1, 3600, 600, 86400, NEGATIVE_TTL));
  }

  /** The RRSIGs of {@code owner}'s RRsets carry a wrong signature. */
  public SignedZone tamper(String owner) {
    tampered.add(name(owner));
    return this;
  }

  /** The RRSIGs of {@code owner}'s RRsets expired yesterday. */
  public SignedZone expire(String owner) {
    expired.add(name(owner));
    return this;
  }

  /** The answer to {@code query}, or null when its name is outside this zone. */
  public Message answer(Message query) {
    Record question = query.getQuestion();
    Name qname = question.getName();
    if (!qname.subdomain(origin)) {
      return null;
    }
    int qtype = question.getType();
    OPTRecord opt = query.getOPT();
    boolean dnssec = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    boolean checkingDisabled = query.getHeader().getFlag(Flags.CD);
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RA);
    response.getHeader().setFlag(Flags.RD);
    response.addRecord(question, Section.QUESTION);
    if (opt != null) {
      response.addRecord(new OPTRecord(1232, 0, 0, opt.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
    }
    Name child = delegationAbove(qname, qtype);
    if (child != null) {
      answerUnsigned(response, qname, qtype, child);
      return response;
    }
    if ((tampered.contains(qname) || expired.contains(qname)) && !checkingDisabled) {
      response.getHeader().setRcode(Rcode.SERVFAIL); // what a validating resolver answers for bogus data
      return response;
    }
    Answer a = new Answer(response, dnssec);
    List<Record> owned = records.get(qname);
    if (owned != null) {
      List<Record> matching = owned.stream().filter(r -> r.getType() == qtype).toList();
      if (!matching.isEmpty()) {
        a.rrset(Section.ANSWER, matching);
      } else {
        a.negative(List.of(nsec(qname)));
      }
    } else {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      Set<Name> covering = new LinkedHashSet<>();
      covering.add(covering(qname));
      covering.add(covering(wildcardOfClosestEncloser(qname)));
      a.negative(covering.stream().map(this::nsec).toList());
    }
    if (!checkingDisabled) {
      response.getHeader().setFlag(Flags.AD);
    }
    return response;
  }

  /** Adds records and their signatures to one response. */
  private final class Answer {
    final Message response;
    final boolean dnssec;

    Answer(Message response, boolean dnssec) {
      this.response = response;
      this.dnssec = dnssec;
    }

    void rrset(int section, List<Record> rrs) {
      rrs.forEach(r -> response.addRecord(r, section));
      if (dnssec) {
        response.addRecord(sign(rrs), section);
      }
    }

    void negative(List<NSECRecord> proofs) {
      rrset(Section.AUTHORITY, records.get(origin).stream().filter(r -> r.getType() == Type.SOA).toList());
      if (dnssec) {
        proofs.forEach(nsec -> rrset(Section.AUTHORITY, List.of(nsec)));
      }
    }
  }

  /** A child zone's data: unsigned, with the child's SOA in negative answers; its DS is provably absent. */
  private void answerUnsigned(Message response, Name qname, int qtype, Name child) {
    List<Record> owned = records.getOrDefault(qname, List.of());
    List<Record> matching = owned.stream().filter(r -> r.getType() == qtype).toList();
    matching.forEach(r -> response.addRecord(r, Section.ANSWER));
    if (matching.isEmpty()) {
      if (owned.isEmpty() && !qname.equals(child)) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      records.get(child).stream().filter(r -> r.getType() == Type.SOA)
          .forEach(r -> response.addRecord(r, Section.AUTHORITY));
    }
  }

  /** The unsigned child zone {@code qname} is in, or null; a DS query at the cut belongs to the parent. */
  private Name delegationAbove(Name qname, int qtype) {
    for (Name child : delegations) {
      if (qname.subdomain(child) && !(qname.equals(child) && qtype == Type.DS)) {
        return child;
      }
    }
    return null;
  }

  /** The signed owner names, in canonical order (RFC 4034 §6.1): the zone's, not its children's. */
  private TreeSet<Name> ownerNames() {
    TreeSet<Name> names = new TreeSet<>();
    for (Name n : records.keySet()) {
      boolean belowCut = delegations.stream().anyMatch(c -> n.subdomain(c) && !n.equals(c));
      if (!belowCut) {
        names.add(n);
      }
    }
    return names;
  }

  private NSECRecord nsec(Name owner) {
    TreeSet<Name> names = ownerNames();
    Name next = names.higher(owner);
    Set<Integer> types = new TreeSet<>();
    if (delegations.contains(owner)) {
      types.add(Type.NS); // RFC 4035 §2.3: at a cut, the parent's NSEC lists NS (and no DS: unsigned child)
    } else {
      records.getOrDefault(owner, List.of()).forEach(r -> types.add(r.getType()));
    }
    types.add(Type.RRSIG);
    types.add(Type.NSEC);
    return new NSECRecord(owner, DClass.IN, NEGATIVE_TTL, next == null ? origin : next,
        types.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The owner name whose NSEC covers {@code name} (the last one before it). */
  private Name covering(Name name) {
    Name before = ownerNames().lower(name);
    return before == null ? origin : before;
  }

  /** RFC 4592: the wildcard at the closest encloser of a name that does not exist. */
  private Name wildcardOfClosestEncloser(Name qname) {
    Name ancestor = new Name(qname, 1);
    while (!ancestor.equals(origin) && !exists(ancestor)) {
      ancestor = new Name(ancestor, 1);
    }
    try {
      return Name.concatenate(Name.fromString("*"), ancestor);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A name with records, or an empty non-terminal above one. */
  private boolean exists(Name name) {
    return records.keySet().stream().anyMatch(n -> n.subdomain(name));
  }

  private RRSIGRecord sign(List<Record> rrs) {
    RRset set = new RRset();
    rrs.forEach(set::addRR);
    Name owner = set.getName();
    Instant now = Instant.now();
    boolean old = expired.contains(owner);
    Instant inception = old ? now.minus(Duration.ofDays(2)) : now.minus(Duration.ofHours(1));
    Instant expiration = old ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(7));
    try {
      RRSIGRecord sig = DNSSEC.sign(set, dnskey, keys.getPrivate(), inception, expiration);
      if (!tampered.contains(owner)) {
        return sig;
      }
      byte[] signature = sig.getSignature();
      signature[signature.length / 2] ^= 0x01;
      return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
          sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  private SignedZone add(Record record) {
    records.computeIfAbsent(record.getName(), n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(record);
    return this;
  }

  private static Name name(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return Address.getByAddress(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
