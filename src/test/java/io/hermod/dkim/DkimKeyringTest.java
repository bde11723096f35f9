package io.hermod.dkim;

import io.hermod.config.DkimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key rotation without a restart: a new selector or a rewritten file is loaded; a bad key is not. */
class DkimKeyringTest {

  @TempDir
  Path temp;

  private Path ed25519Pem(String name) throws Exception {
    byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    return Files.writeString(temp.resolve(name), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n");
  }

  private static DkimConfig config(String selector, Path file) {
    return new DkimConfig(List.of(new DkimConfig.Key("example.test", selector, file.toString(), List.of("From"))));
  }

  @Test
  void aNewSelectorAndFileAreLoadedAndAnUnchangedConfigurationIsNotReloaded() throws Exception {
    DkimKeyring ring = DkimKeyring.load(config("s1", ed25519Pem("one.pem")));
    assertFalse(ring.refresh(config("s1", temp.resolve("one.pem"))), "nothing changed");

    Path two = ed25519Pem("two.pem");
    assertTrue(ring.refresh(config("s2", two)));
    assertEquals("s2", ring.current().forDomain("example.test").selector());
  }

  @Test
  void aRewrittenKeyFileIsLoaded() throws Exception {
    Path file = ed25519Pem("key.pem");
    DkimKeyring ring = DkimKeyring.load(config("s1", file));
    var before = ring.current().forDomain("example.test").key();
    Files.move(ed25519Pem("new.pem"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(ring.refresh(config("s1", file)));
    assertNotEquals(before, ring.current().forDomain("example.test").key());
  }

  @Test
  void aKeyThatDoesNotLoadLeavesTheRunningKeys() throws Exception {
    DkimKeyring ring = DkimKeyring.load(config("s1", ed25519Pem("one.pem")));
    Path bad = Files.writeString(temp.resolve("bad.pem"), "not a key\n");
    assertFalse(ring.refresh(config("s2", bad)));
    assertFalse(ring.refresh(config("s3", temp.resolve("missing.pem"))));
    assertEquals("s1", ring.current().forDomain("example.test").selector());
  }
}
