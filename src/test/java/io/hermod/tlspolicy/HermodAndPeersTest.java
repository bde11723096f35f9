package io.hermod.tlspolicy;

import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Hermod ({@link #hermod}, started by the test) and the loopback peers it talks to on a Vert.x of their
 * own ({@link #peers}), both closed after each test.
 */
public abstract class HermodAndPeersTest {

  @TempDir
  protected Path dir;
  protected Vertx peers;
  protected TestHermod hermod;

  @AfterEach
  void closeHermodAndPeers() throws Exception {
    if (hermod != null) {
      hermod.close();
    }
    if (peers != null) {
      peers.close().await(10, TimeUnit.SECONDS);
    }
  }
}
