package io.hermod.events;

import io.hermod.config.EventFeedConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feed's requests as the node reads them: what it serves, how it bounds them, what it refuses and why. */
class FeedRequestTest {

  private static final EventFeedConfig LIMITS = new EventFeedConfig(true, 100, 65536, 2000, 10, 10);

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("{\"op\":\"open\",\"cursor\":\"billing\"}",
            new FeedRequest.Open("billing", FeedRequest.Start.BEGINNING, null, false)),
        Arguments.of("{\"op\":\"open\",\"cursor\":\"a.b_c-1\",\"start\":\"end\"}",
            new FeedRequest.Open("a.b_c-1", FeedRequest.Start.END, null, false)),
        Arguments.of("{\"op\":\"open\",\"cursor\":\"x\",\"start\":\"time\",\"time\":\"2026-01-02T03:04:05Z\",\"reset\":true}",
            new FeedRequest.Open("x", FeedRequest.Start.TIME, Instant.parse("2026-01-02T03:04:05Z"), true)),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":7,\"max\":5,\"waitMillis\":100}",
            new FeedRequest.Read("x", 7, 5, 100)),
        // The node's bounds win over the reader's wishes; no max means the node's own; no wait means none.
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":0,\"max\":100000,\"waitMillis\":999999}",
            new FeedRequest.Read("x", 0, 100, 2000)),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":3}", new FeedRequest.Read("x", 3, 100, 0)),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":3,\"max\":0,\"waitMillis\":-5}",
            new FeedRequest.Read("x", 3, 1, 0)),
        Arguments.of("{\"op\":\"ack\",\"cursor\":\"x\",\"seq\":42}", new FeedRequest.Ack("x", 42)),
        Arguments.of("{\"op\":\"remove\",\"cursor\":\"x\"}", new FeedRequest.Remove("x")));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parses(String json, FeedRequest expected) {
    assertEquals(expected, FeedRequest.parse(new JsonObject(json), LIMITS));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("{\"op\":\"read\",\"after\":1}", "cursor"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"\",\"after\":1}", "cursor"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"../etc\",\"after\":1}", "cursor"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"" + "a".repeat(91) + "\",\"after\":1}", "cursor"),
        Arguments.of("{\"cursor\":\"x\"}", "op is missing"),
        Arguments.of("{\"op\":\"seek\",\"cursor\":\"x\"}", "unknown op"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\"}", "after"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":-1}", "after"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":1.5}", "after"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":\"1\"}", "after"),
        Arguments.of("{\"op\":\"read\",\"cursor\":\"x\",\"after\":1,\"max\":\"ten\"}", "max"),
        Arguments.of("{\"op\":\"ack\",\"cursor\":\"x\"}", "seq"),
        Arguments.of("{\"op\":\"open\",\"cursor\":\"x\",\"start\":\"middle\"}", "start"),
        Arguments.of("{\"op\":\"open\",\"cursor\":\"x\",\"start\":\"time\"}", "time"),
        Arguments.of("{\"op\":\"open\",\"cursor\":\"x\",\"start\":\"time\",\"time\":\"yesterday\"}", "ISO-8601"));
  }

  @org.junit.jupiter.api.Test
  void aBodyThatIsNoJsonObjectIsRefused() {
    assertTrue(assertThrows(FeedRequest.Invalid.class, () -> FeedRequest.parse("read", LIMITS)).getMessage()
        .contains("JSON object"));
    assertTrue(assertThrows(FeedRequest.Invalid.class, () -> FeedRequest.parse(null, LIMITS)).getMessage()
        .contains("nothing"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesWithTheReason(String json, String reason) {
    FeedRequest.Invalid e = assertThrows(FeedRequest.Invalid.class,
        () -> FeedRequest.parse(new JsonObject(json), LIMITS));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
