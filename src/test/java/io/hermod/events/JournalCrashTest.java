package io.hermod.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.hermod.events.FileEventJournalTest.event;
import static io.hermod.events.FileEventJournalTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process appending to the journal is killed with SIGKILL in the middle of its writes: every append it had
 * acknowledged is there after the restart, in order, and the journal goes on from the last whole entry.
 */
class JournalCrashTest extends JournalDirTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyAcknowledgedAppendSurvivesASigkill() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), JournalCrashChild.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long acknowledged = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.US_ASCII))) {
      for (String line = out.readLine(); line != null && acknowledged < 3000; line = out.readLine()) {
        if (line.startsWith("ACK ")) {
          acknowledged = Math.max(acknowledged, Long.parseLong(line.substring(4)));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, appends in flight
      assertTrue(child.waitFor(20, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    assertTrue(acknowledged >= 3000, "the child acknowledged " + acknowledged + " appends");

    FileEventJournal journal = FileEventJournal.open(vertx, dir, FileEventJournalTest.SMALL).await();
    long last = journal.lastSeq();
    assertTrue(last >= acknowledged, "acknowledged up to " + acknowledged + ", kept up to " + last);
    List<JournalEntry> all = readAll(journal, 0, 500);
    assertEquals(last, all.size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).seq());
      assertEquals(event(i + 1), all.get(i).event());
    }
    assertEquals(last + 1, journal.append(event(0)).await());
    journal.close().await();
  }
}
