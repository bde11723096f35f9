// The event-feed scenario's consumer (benchmarks/feed.py, README "Event feed"): one JVM with Hermod and an
// application verticle's EventFeed subscription on the same Vert.x (the "same JVM" shape of README "Your
// application and Hermod"). Run as a single-file program on the jar's classpath:
//
//     java -cp target/hermod.jar benchmarks/FeedConsumer.java CONFIG STATS_FILE [fast|slow|none]
//
// fast (default): batches of up to 1,000, each acknowledged at once. slow: batches of 10, each taking 100 ms
// (at most 100 events/s, far below the relay rate: the consumer falls behind on disk). none: no subscription
// (the journal still records every event): the baseline for the relay rate.
// Every second it replaces STATS_FILE with one JSON object: events received, duplicates, the lag of each event
// (the handler's clock minus the event's "timestamp", when the outcome was recorded) as p50/p99/max in ms, and the
// times of the first and last event. Lags are counted in 1-ms buckets up to 10 minutes: memory stays fixed.
import io.hermod.Hermod;
import io.hermod.api.EventFeed;
import io.hermod.api.EventFeedOptions;
import io.hermod.api.FeedEvent;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

public class FeedConsumer {

  private static final int MAX_LAG_MS = 600_000;
  private final long[] lagCounts = new long[MAX_LAG_MS + 1];
  private final Map<String, Long> highestSeq = new HashMap<>();
  private long events;
  private long duplicates;
  private long batches;
  private long firstMillis;
  private long lastMillis;
  private long maxLag;

  public static void main(String[] args) throws Exception {
    Path stats = Path.of(args[1]);
    Vertx vertx = Vertx.vertx();
    HermodConfig config = ConfigLoader.load(vertx, args[0]).await();
    Hermod hermod = Hermod.start(vertx, config).await();
    String mode = args.length > 2 ? args[2] : "fast";
    boolean slow = mode.equals("slow");
    FeedConsumer consumer = new FeedConsumer();
    EventFeed feed = mode.equals("none") ? null : EventFeed.subscribe(vertx, "bench",
        new EventFeedOptions().fromBeginning().maxBatch(slow ? 10 : 1000), batch -> {
          synchronized (consumer) {
            consumer.record(batch.events());
          }
          return slow ? Future.future(p -> vertx.setTimer(100, t -> p.complete())) : Future.succeededFuture();
        }).await();
    vertx.setPeriodic(1000, t -> vertx.executeBlocking(() -> consumer.write(stats), false));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (feed != null) {
          feed.close().await();
        }
        hermod.stop().await();
        consumer.write(stats);
        vertx.close().await();
      } catch (Exception e) {
        e.printStackTrace();
      } finally {
        stopped.countDown();
      }
    }));
    System.out.println("feed consumer ready (node " + hermod.nodeId() + ")");
    stopped.await();
  }

  private void record(java.util.List<FeedEvent> batch) {
    long now = System.currentTimeMillis();
    batches++;
    for (FeedEvent e : batch) {
      long highest = highestSeq.getOrDefault(e.node(), 0L);
      if (e.seq() <= highest) {
        duplicates++;
        continue;
      }
      highestSeq.put(e.node(), e.seq());
      events++;
      if (firstMillis == 0) {
        firstMillis = now;
      }
      lastMillis = now;
      if (e.event().timestamp() != null) {
        long lag = Math.max(0, now - e.event().timestamp().toEpochMilli());
        maxLag = Math.max(maxLag, lag);
        lagCounts[(int) Math.min(MAX_LAG_MS, lag)]++;
      }
    }
  }

  private synchronized Void write(Path stats) throws Exception {
    JsonObject json = new JsonObject().put("events", events).put("duplicates", duplicates).put("batches", batches)
        .put("firstMillis", firstMillis).put("lastMillis", lastMillis)
        .put("lagP50", percentile(50)).put("lagP99", percentile(99)).put("lagMax", maxLag);
    Path tmp = stats.resolveSibling(stats.getFileName() + ".tmp");
    Files.writeString(tmp, json.encode());
    Files.move(tmp, stats, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return null;
  }

  /** Nearest rank over the 1-ms buckets; -1 with no event. */
  private long percentile(int p) {
    long total = 0;
    for (long c : lagCounts) {
      total += c;
    }
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
    long seen = 0;
    for (int ms = 0; ms < lagCounts.length; ms++) {
      seen += lagCounts[ms];
      if (seen >= rank) {
        return ms;
      }
    }
    return MAX_LAG_MS;
  }
}
