package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigException;
import io.hermod.spool.SpoolLock;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why Hermod did not start, said so that an operator knows what to change (issue #16): a second instance on a
 * spool, a port in use (which listener), a spool directory that cannot be made (the spool's problem, not the
 * generated certificate's). A failed start leaves nothing held: the next start on the same spool works.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartFailureTest {

  @TempDir
  Path temp;

  @Test
  void aSecondHermodOnTheSameSpoolIsRefusedUntilTheFirstHasStopped() {
    Path spool = temp.resolve("spool");
    try (TestHermod first = TestHermod.start(spool, new JsonObject())) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> TestHermod.start(spool, new JsonObject()));
      assertInstanceOf(SpoolLock.SpoolLockedException.class, e);
      assertTrue(e.getMessage().startsWith("spool " + spool.toAbsolutePath() + " is in use by another Hermod in this"
          + " process (lock " + spool.toAbsolutePath().resolve("hermod.lock") + ")"), e.getMessage());
      // The refused start did not take the first one's lock away.
      assertThrows(SpoolLock.SpoolLockedException.class, () -> SpoolLock.acquire(spool));
      assertTrue(first.hermod.spool().list().await().isEmpty());
    }
    TestHermod.start(spool, new JsonObject()).close(); // stop() released it
  }

  @Test
  void aListenerPortInUseNamesTheListenerAndTheSpoolIsFreeAfterwards() throws Exception {
    Path spool = temp.resolve("spool");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      JsonObject listeners = new JsonObject().put("listeners", new JsonArray()
          .add(new JsonObject().put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx")
              .put("tls", "none"))
          .add(new JsonObject().put("name", "mx2").put("host", "127.0.0.1").put("port", taken.getLocalPort())
              .put("role", "mx").put("tls", "none")));
      RuntimeException e = assertThrows(RuntimeException.class, () -> TestHermod.start(spool, listeners));
      assertTrue(e.getMessage().startsWith("listener mx2 (mx) on 127.0.0.1:" + taken.getLocalPort()
          + ": Address already in use"), e.getMessage());

      JsonObject http = new JsonObject().put("http", new JsonObject().put("port", taken.getLocalPort()));
      e = assertThrows(RuntimeException.class, () -> TestHermod.start(spool, http));
      assertTrue(e.getMessage().startsWith("operations http server on 127.0.0.1:" + taken.getLocalPort()
          + ": Address already in use"), e.getMessage());
    }
    TestHermod.start(spool, new JsonObject()).close(); // the failed starts released the spool
  }

  /**
   * The spool directory's parent is not writable: said of spool.directory, not of tls.generatedDirectory (the
   * certificate, generated next to the spool, used to be made first). Tests run as root, for whom permissions
   * do not stop anything: a file where a directory should be fails the same way.
   */
  @Test
  void aSpoolDirectoryThatCannotBeMadeIsTheSpoolsProblem() throws Exception {
    Path notADirectory = Files.writeString(temp.resolve("data"), "a file");
    JsonObject tls = new JsonObject().put("listeners", new JsonArray().add(new JsonObject()
        .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "starttls")));
    ConfigException e = assertThrows(ConfigException.class,
        () -> TestHermod.start(notADirectory.resolve("spool"), tls));
    assertEquals("spool.directory", e.key(), e.getMessage());
    assertTrue(e.getMessage().startsWith("config: spool.directory: cannot create " + notADirectory.resolve("spool")),
        e.getMessage());
  }
}
