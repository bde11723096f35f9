package io.hermod.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressSelectorTest {

  private static final Map<String, EgressSource> SOURCES = sources("ip1", "ip2", "ip3", "ip4");

  private static final EgressConfig CONFIG = new EgressConfig(SOURCES,
      pools(pool("bulk", "ip1", 1, "ip2", 3), pool("tx", "ip3", 1), pool("news", "ip4", 1),
          pool("fallback", "ip1", 1)),
      Map.of("alice", "tx", "bob", "gone"), Map.of("news.example", "news", "alice.example", "bulk"), "fallback");

  private final Set<String> suspended = new HashSet<>(); // "source site"
  private final EgressSelector selector = new EgressSelector(CONFIG, SOURCES.keySet(),
      (source, site) -> suspended.contains(source + " " + site));

  @ParameterizedTest(name = "requested={0} user={1} sender={2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      // The submit request's pool comes first, then the user's, the sender domain's, the default.
      "bulk, alice, x@news.example, bulk",
      "-, alice, x@news.example, tx",
      "-, carol, x@news.example, news",
      "-, -, x@News.Example., news",
      "-, -, x@other.example, fallback",
      "-, -, '', fallback",
      // A name that is not (or no longer) configured is passed over.
      "removed, -, x@news.example, news",
      "-, bob, x@other.example, fallback",
      // User names are case-sensitive, as in the user file.
      "-, Alice, x@alice.example, bulk",
  })
  void poolOfAMessage(String requested, String user, String sender, String pool) {
    assertEquals(pool, selector.pool(requested, user, sender));
  }

  @Test
  void withoutDefaultPoolOtherMailHasNone() {
    EgressConfig c = new EgressConfig(SOURCES, pools(pool("tx", "ip3", 1)), Map.of("alice", "tx"), Map.of(), null);
    EgressSelector s = new EgressSelector(c, SOURCES.keySet(), (source, site) -> false);
    assertNull(s.pool(null, "bob", "b@x.example"));
    assertNull(s.source(null, "bob", "b@x.example", "site"));
    assertEquals("ip3", s.source(null, "alice", "a@x.example", "site"));
    assertNull(EgressSelector.none().source("tx", "alice", "a@x.example", "site"));
  }

  @Test
  void weightsSpreadJobsSmoothly() {
    assertEquals(List.of("ip2", "ip1", "ip2", "ip2", "ip2", "ip1", "ip2", "ip2"), picks("bulk", "s", 8));
  }

  @Test
  void aSuspendedQueueIsPassedOverWhileAnotherSourceOfThePoolIsNot() {
    suspended.add("ip2 gmail");
    assertEquals(List.of("ip1", "ip1", "ip1"), picks("bulk", "gmail", 3));
    // Other sites are not affected by ip2's suspension at gmail.
    assertEquals(3, picks("bulk", "yahoo", 4).stream().filter("ip2"::equals).count());
    suspended.add("ip1 gmail");
    // All suspended: the weighted pick among all (the job waits in its queue).
    assertEquals(3, picks("bulk", "gmail", 4).stream().filter("ip2"::equals).count());
  }

  @Test
  void sourcesMissingOnThisNodeAreNeverPicked() {
    EgressSelector s = new EgressSelector(CONFIG, Set.of("ip1", "ip4"), (source, site) -> false);
    assertEquals(List.of("ip1", "ip1"), List.of(s.pick("bulk", "x"), s.pick("bulk", "x")));
    // A pool none of whose sources is here: the default source.
    assertNull(s.source(null, "alice", "a@x.example", "x"));
    assertNull(s.pick("nosuchpool", "x"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "-", value = {
      "a@Example.COM, example.com",
      "a@example.com., example.com",
      "\"x@y\"@example.org, example.org",
      "'', -",
      "postmaster, -",
      "a@, -",
  })
  void senderDomain(String sender, String domain) {
    assertEquals(domain, EgressSelector.senderDomain(sender));
  }

  @Test
  void badNamesAndWeightsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new EgressSource("IP1", "127.0.0.2", null));
    assertThrows(IllegalArgumentException.class, () -> new EgressSource("a->b", "127.0.0.2", null));
    assertThrows(IllegalArgumentException.class, () -> pool("p", "ip1", 0));
    assertThrows(IllegalArgumentException.class, () -> new EgressPool("p", Map.of()));
    assertEquals("out1.example", new EgressSource("ip1", "127.0.0.2", "out1.example").ehloOr("mx.example"));
    assertEquals("mx.example", new EgressSource("ip1", "127.0.0.2", null).ehloOr("mx.example"));
  }

  private List<String> picks(String pool, String site, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(selector.pick(pool, site));
    }
    return out;
  }

  private static Map<String, EgressSource> sources(String... names) {
    Map<String, EgressSource> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], new EgressSource(names[i], "127.0.0." + (i + 2), null));
    }
    return m;
  }

  private static EgressPool pool(String name, Object... sourceWeights) {
    Map<String, Integer> w = new LinkedHashMap<>();
    for (int i = 0; i < sourceWeights.length; i += 2) {
      w.put((String) sourceWeights[i], (Integer) sourceWeights[i + 1]);
    }
    return new EgressPool(name, w);
  }

  private static Map<String, EgressPool> pools(EgressPool... pools) {
    Map<String, EgressPool> m = new LinkedHashMap<>();
    for (EgressPool p : pools) {
      m.put(p.name(), p);
    }
    return m;
  }
}
