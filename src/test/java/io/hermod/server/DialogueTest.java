package io.hermod.server;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      // -Ddialogues=44 runs only the transcripts whose name contains "44" (while working on one)
      String only = System.getProperty("dialogues", "");
      files = s.filter(p -> p.toString().endsWith(".txt") && p.getFileName().toString().contains(only))
          .sorted().toList();
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Dialogue d = Dialogue.parse(file);
      Path spool = Files.createTempDirectory(temp, "spool");
      try (TestHermod h = TestHermod.start(spool, withUsers(d, spool))) {
        d.run(h.port());
        if (d.spooled != null) {
          // The server's last reply is only sent after the commit, so the count is settled by now.
          assertEquals(d.spooled.intValue(), h.hermod.spool().list().await().size(), d.name + ": messages in the spool");
        }
      }
    }));
  }

  /** The dialogue's configuration, with a user file of its {@code @user} lines when it has any. */
  private static JsonObject withUsers(Dialogue d, Path spool) throws IOException {
    if (d.users.isEmpty()) {
      return d.config;
    }
    Map<String, PasswordHash> hashes = new LinkedHashMap<>();
    d.users.forEach((name, password) -> hashes.put(name, PasswordHash.create(password, new SecureRandom())));
    Path file = spool.resolveSibling(spool.getFileName() + ".users");
    UserFile.write(file, hashes);
    JsonObject config = d.config.copy();
    JsonObject auth = config.getJsonObject("auth", new JsonObject());
    config.put("auth", auth.put("usersFile", file.toString()));
    return config;
  }
}
