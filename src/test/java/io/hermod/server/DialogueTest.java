package io.hermod.server;

import io.hermod.testing.TestHermod;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs every transcript in src/test/resources/dialogues against a real listener and spool. */
class DialogueTest {

  @TempDir
  Path temp;

  @TestFactory
  Stream<DynamicTest> dialogues() throws IOException, URISyntaxException {
    Path dir = Path.of(DialogueTest.class.getResource("/dialogues").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Dialogue d = Dialogue.parse(file);
      Path spool = Files.createTempDirectory(temp, "spool");
      try (TestHermod h = TestHermod.start(spool, d.config)) {
        d.run(h.port());
        if (d.spooled != null) {
          // The server's last reply is only sent after the commit, so the count is settled by now.
          assertEquals(d.spooled.intValue(), h.hermod.spool().list().await().size(), d.name + ": messages in the spool");
        }
      }
    }));
  }
}
