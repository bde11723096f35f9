package io.hermod.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative-looking DNS server over UDP on 127.0.0.1, answering from a zone the test programs.
 * Names that were never configured answer NXDOMAIN; a configured name asked for a type it lacks answers
 * NOERROR with no records (NODATA). Negative answers carry a SOA whose TTL and minimum are the negative TTL,
 * so resolvers cache them for that long (RFC 2308 §5). Every query is counted per (name, type).
 */
public final class TestDnsServer {

  private final Vertx vertx;
  private final DatagramSocket socket;
  private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
  private final Map<Name, Boolean> servfail = new ConcurrentHashMap<>();
  private final Map<Name, Long> delays = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  private volatile long ttl = 300;
  private volatile long negativeTtl = 300;

  private TestDnsServer(Vertx vertx, DatagramSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
  }

  public static Future<TestDnsServer> start(Vertx vertx) {
    DatagramSocket socket = vertx.createDatagramSocket();
    TestDnsServer server = new TestDnsServer(vertx, socket);
    socket.handler(server::answer);
    return socket.listen(0, "127.0.0.1").map(s -> server);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", socket.localAddress().port());
  }

  public Future<Void> close() {
    return socket.close();
  }

  /** TTL in seconds of records added from now on. */
  public TestDnsServer ttl(long seconds) {
    ttl = seconds;
    return this;
  }

  /** TTL in seconds of negative answers (the SOA's TTL and minimum). */
  public TestDnsServer negativeTtl(long seconds) {
    negativeTtl = seconds;
    return this;
  }

  public TestDnsServer mx(String domain, int preference, String host) {
    return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(host)));
  }

  /** RFC 7505: a single MX of preference 0 pointing at the root. */
  public TestDnsServer nullMx(String domain) {
    return add(new MXRecord(name(domain), DClass.IN, ttl, 0, Name.root));
  }

  public TestDnsServer a(String host, String ip) {
    return add(new ARecord(name(host), DClass.IN, ttl, address(ip)));
  }

  public TestDnsServer aaaa(String host, String ip) {
    return add(new AAAARecord(name(host), DClass.IN, ttl, address(ip)));
  }

  /** Makes {@code name} exist without MX or address records. */
  public TestDnsServer txt(String name, String text) {
    return add(new TXTRecord(name(name), DClass.IN, ttl, text));
  }

  /** One TXT record of several strings (each at most 255 octets), as a 2048-bit DKIM key needs (RFC 6376 §3.6.2.2). */
  public TestDnsServer txt(String name, List<String> strings) {
    return add(new TXTRecord(name(name), DClass.IN, ttl, strings));
  }

  /** Forgets every record of {@code name}, so it answers NXDOMAIN. */
  public TestDnsServer nxdomain(String name) {
    zone.remove(name(name));
    return this;
  }

  public TestDnsServer servfail(String name) {
    servfail.put(name(name), true);
    return this;
  }

  /** Answers queries for {@code name} only after {@code millis}. */
  public TestDnsServer delay(String name, long millis) {
    delays.put(name(name), millis);
    return this;
  }

  /** How many queries for (name, type) arrived, e.g. {@code queries("example.test", Type.MX)}. */
  public int queries(String name, int type) {
    AtomicInteger n = queries.get(key(name(name), type));
    return n == null ? 0 : n.get();
  }

  private TestDnsServer add(Record record) {
    zone.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    return this;
  }

  private void answer(DatagramPacket packet) {
    Message query;
    try {
      query = new Message(packet.data().getBytes());
    } catch (IOException e) {
      return; // not DNS: drop it, as a real server would
    }
    Record question = query.getQuestion();
    Name name = question.getName();
    queries.computeIfAbsent(key(name, question.getType()), k -> new AtomicInteger()).incrementAndGet();
    Buffer reply = Buffer.buffer(respond(query, question).toWire());
    Runnable send = () -> socket.send(reply, packet.sender().port(), packet.sender().host());
    Long delay = delays.get(name);
    if (delay == null) {
      send.run();
    } else {
      vertx.setTimer(delay, t -> send.run());
    }
  }

  private Message respond(Message query, Record question) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    response.addRecord(question, Section.QUESTION);
    Name name = question.getName();
    List<Record> records = zone.get(name);
    if (servfail.containsKey(name)) {
      response.getHeader().setRcode(Rcode.SERVFAIL);
    } else if (records == null) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      response.addRecord(soa(), Section.AUTHORITY);
    } else {
      records.stream().filter(r -> r.getType() == question.getType())
          .forEach(r -> response.addRecord(r, Section.ANSWER));
      if (response.getSection(Section.ANSWER).isEmpty()) {
        response.addRecord(soa(), Section.AUTHORITY); // NODATA
      }
    }
    return response;
  }

  /** Owned by the root so that every name is inside its zone (dnsjava caches only a covering SOA). */
  private SOARecord soa() {
    Name ns = name("ns.test");
    return new SOARecord(Name.root, DClass.IN, negativeTtl, ns, name("hostmaster.test"),
        1, 3600, 600, 86400, negativeTtl);
  }

  private static String key(Name name, int type) {
    return name.toString().toLowerCase() + "/" + Type.string(type);
  }

  private static Name name(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress address(String ip) {
    try {
      return Address.getByAddress(ip); // literals only, never a lookup
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
