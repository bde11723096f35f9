package io.hermod.events;

import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Run in a child JVM by {@link JournalCrashTest}: appends event(1), event(2), ... to the journal in the given
 * directory, 100 in flight, and prints "ACK seq" for each append the journal acknowledged, until it is killed.
 */
public final class JournalCrashChild {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FileEventJournal journal = FileEventJournal.open(vertx, Path.of(args[0]), FileEventJournalTest.SMALL).await();
    Semaphore inFlight = new Semaphore(100);
    for (int i = 1; ; i++) {
      inFlight.acquire();
      journal.append(FileEventJournalTest.event(i)).onComplete(ar -> {
        inFlight.release();
        if (ar.succeeded()) {
          synchronized (System.out) {
            System.out.println("ACK " + ar.result());
            System.out.flush();
          }
        }
      });
    }
  }
}
