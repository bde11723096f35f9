package io.hermod.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
 * An authoritative-looking DNS server over UDP and TCP on 127.0.0.1 (the same port), answering from a zone the
 * test programs. Names that were never configured answer NXDOMAIN; a configured name asked for a type it lacks
 * answers NOERROR with no records (NODATA). Negative answers carry a SOA whose TTL and minimum are the negative
 * TTL, so resolvers cache them for that long (RFC 2308 §5). Every query is counted per (name, type).
 *
 * <p>Faults of a busy resolver, for UDP: drop every Nth query or a random share of them (never answered),
 * delay every answer, answer a name truncated (TC, no records) so that the client asks again over TCP. It
 * records the most queries it held at once (received, not yet answered, not dropped) and each query's ID.
 */
public final class TestDnsServer {

  private final Vertx vertx;
  private final DatagramSocket socket;
  private final NetServer tcp;
  private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
  private final Map<Name, Boolean> servfail = new ConcurrentHashMap<>();
  private final Map<Name, Long> delays = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> tcpQueries = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> ids = new ConcurrentHashMap<>();
  private final Map<Name, Boolean> truncated = new ConcurrentHashMap<>();
  private final List<Function<Message, Message>> responders = new CopyOnWriteArrayList<>();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger mostHeld = new AtomicInteger();
  private volatile long ttl = 300;
  private volatile long negativeTtl = 300;
  private volatile int dropEvery;
  private volatile double dropShare;
  private volatile Random dropRandom = new Random(0);
  private volatile long delayAll;

  private TestDnsServer(Vertx vertx, DatagramSocket socket, NetServer tcp) {
    this.vertx = vertx;
    this.socket = socket;
    this.tcp = tcp;
  }

  /** UDP on a port the system picks, then TCP on the same port (tried again on another if that one is taken). */
  public static Future<TestDnsServer> start(Vertx vertx) {
    return start(vertx, 5);
  }

  private static Future<TestDnsServer> start(Vertx vertx, int attempts) {
    DatagramSocket socket = vertx.createDatagramSocket();
    NetServer tcp = vertx.createNetServer();
    TestDnsServer server = new TestDnsServer(vertx, socket, tcp);
    socket.handler(server::answer);
    tcp.connectHandler(server::serveTcp);
    return socket.listen(0, "127.0.0.1")
        .compose(s -> tcp.listen(s.localAddress().port(), "127.0.0.1")
            .recover(e -> socket.close().compose(v -> attempts > 1 ? Future.failedFuture("retry")
                : Future.failedFuture(e))))
        .map(s -> server)
        .recover(e -> "retry".equals(e.getMessage()) ? start(vertx, attempts - 1) : Future.failedFuture(e));
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", socket.localAddress().port());
  }

  public Future<Void> close() {
    return Future.join(socket.close(), tcp.close()).mapEmpty();
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

  /** How many queries for (name, type) arrived, e.g. {@code queries("example.test", Type.MX)}; UDP and TCP. */
  public int queries(String name, int type) {
    AtomicInteger n = queries.get(key(name(name), type));
    return n == null ? 0 : n.get();
  }

  /** How many of those came over TCP. */
  public int tcpQueries(String name, int type) {
    AtomicInteger n = tcpQueries.get(key(name(name), type));
    return n == null ? 0 : n.get();
  }

  /** The IDs of the queries for (name, type), in the order they arrived. */
  public List<Integer> queryIds(String name, int type) {
    return List.copyOf(ids.getOrDefault(key(name(name), type), List.of()));
  }

  /** Every query that arrived (UDP and TCP), dropped ones included. */
  public int totalQueries() {
    return received.get();
  }

  /** UDP queries dropped unanswered. */
  public int dropped() {
    return dropped.get();
  }

  /** The most UDP queries held at once: received, not dropped, not yet answered (see {@link #delayAll}). */
  public int mostHeldAtOnce() {
    return mostHeld.get();
  }

  /** Drops every {@code n}th UDP query (counting all names); 0 = none. */
  public TestDnsServer dropEvery(int n) {
    dropEvery = n;
    return this;
  }

  /** Drops a random {@code share} (0..1) of UDP queries, from a generator seeded with {@code seed}. */
  public TestDnsServer dropShare(double share, long seed) {
    dropRandom = new Random(seed);
    dropShare = share;
    return this;
  }

  /** Answers every UDP query only after {@code millis}. */
  public TestDnsServer delayAll(long millis) {
    delayAll = millis;
    return this;
  }

  /** Answers UDP queries for {@code name} truncated (TC set, no records); TCP answers in full (RFC 7766). */
  public TestDnsServer truncate(String name) {
    truncated.put(name(name), true);
    return this;
  }

  /**
   * Lets {@code responder} answer first: its non-null answer (e.g. a {@link SignedZone}'s) goes back as it is;
   * for null the configured records answer. Faults (drops, delays, truncation) still apply.
   */
  public TestDnsServer answerWith(Function<Message, Message> responder) {
    responders.add(responder);
    return this;
  }

  private TestDnsServer add(Record record) {
    zone.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    return this;
  }

  private void answer(DatagramPacket packet) {
    Message query = parse(packet.data());
    if (query == null) {
      return; // not DNS: drop it, as a real server would
    }
    Record question = query.getQuestion();
    Name name = question.getName();
    int n = count(query, false);
    if (dropEvery > 0 && n % dropEvery == 0 || dropShare > 0 && drawDrop()) {
      dropped.incrementAndGet();
      return;
    }
    Message response = respond(query, question);
    if (truncated.containsKey(name)) {
      response = new Message(query.getHeader().getID());
      response.getHeader().setFlag(Flags.QR);
      response.getHeader().setFlag(Flags.TC);
      response.addRecord(question, Section.QUESTION);
    }
    Buffer reply = Buffer.buffer(response.toWire());
    mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
    Runnable send = () -> {
      held.decrementAndGet();
      socket.send(reply, packet.sender().port(), packet.sender().host());
    };
    long delay = Math.max(delayAll, delays.getOrDefault(name, 0L));
    if (delay == 0) {
      send.run();
    } else {
      vertx.setTimer(delay, t -> send.run());
    }
  }

  /** RFC 7766 §8: each message framed by its two-octet length; answered in full, no faults. */
  private void serveTcp(NetSocket connection) {
    RecordParser frames = RecordParser.newFixed(2);
    boolean[] lengthNext = {true};
    frames.handler(chunk -> {
      if (lengthNext[0]) {
        frames.fixedSizeMode(chunk.getUnsignedShort(0));
      } else {
        Message query = parse(chunk);
        if (query == null) {
          connection.close();
          return;
        }
        count(query, true);
        byte[] wire = respond(query, query.getQuestion()).toWire();
        connection.write(Buffer.buffer().appendUnsignedShort(wire.length).appendBytes(wire));
        frames.fixedSizeMode(2);
      }
      lengthNext[0] = !lengthNext[0];
    });
    connection.handler(frames);
  }

  private static Message parse(Buffer data) {
    try {
      return new Message(data.getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  /** Counts the query under its (name, type), keeps its ID; returns how many queries arrived so far in all. */
  private int count(Message query, boolean overTcp) {
    Record question = query.getQuestion();
    String key = key(question.getName(), question.getType());
    queries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (overTcp) {
      tcpQueries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
    ids.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(query.getHeader().getID());
    return received.incrementAndGet();
  }

  private synchronized boolean drawDrop() {
    return dropRandom.nextDouble() < dropShare;
  }

  private Message respond(Message query, Record question) {
    for (Function<Message, Message> responder : responders) {
      Message answer = responder.apply(query);
      if (answer != null) {
        return answer;
      }
    }
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
