package io.hermod.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login cache on its own (a fake clock), and with the user store and the worker pool. */
class LoginCacheTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final UserFile.Entry ALICE = new UserFile.Entry(PasswordHash.create("s3cret", RANDOM, 1000));
  private static final AuthenticatedUser ALICE_USER = AuthenticatedUser.of("alice", List.of());

  @TempDir
  Path temp;

  private final AtomicLong clock = new AtomicLong();

  private LoginCache cache(int size, Duration ttl) {
    return new LoginCache(size, ttl.toNanos(), clock::get, RANDOM);
  }

  @Test
  void aRememberedLoginIsAHitOnlyWithTheSamePasswordAndLine() {
    LoginCache cache = cache(10, Duration.ofHours(1));
    assertNull(cache.lookup("alice", "s3cret", ALICE)); // nothing yet
    cache.remember("alice", "s3cret", ALICE, ALICE_USER);
    assertEquals(ALICE_USER, cache.lookup("alice", "s3cret", ALICE));
    assertEquals(ALICE_USER, cache.lookup("alice", "s3cret", copyOf(ALICE))); // an equal line after a reload
    assertNull(cache.lookup("alice", "s3cret ", ALICE));
    assertNull(cache.lookup("alice", "S3cret", ALICE));
    assertNull(cache.lookup("Alice", "s3cret", ALICE));
    assertNull(cache.lookup("alice", "s3cret", null)); // the user is gone
  }

  @Test
  void aChangedLineForgetsTheEntryAtOnce() {
    LoginCache cache = cache(10, Duration.ofHours(1));
    cache.remember("alice", "s3cret", ALICE, ALICE_USER);
    UserFile.Entry newPassword = new UserFile.Entry(PasswordHash.create("other", RANDOM, 1000));
    assertNull(cache.lookup("alice", "s3cret", newPassword));
    assertNull(cache.lookup("alice", "s3cret", ALICE)); // removed, not just skipped
    cache.remember("alice", "s3cret", ALICE, ALICE_USER);
    UserFile.Entry newDomains = new UserFile.Entry(ALICE.hash(), List.of("a.example"));
    assertNull(cache.lookup("alice", "s3cret", newDomains)); // the sender domains are part of the result
  }

  @Test
  void entriesExpireAndTheOldestGoesFirst() {
    LoginCache cache = cache(2, Duration.ofSeconds(60));
    cache.remember("alice", "s3cret", ALICE, ALICE_USER);
    clock.addAndGet(Duration.ofSeconds(59).toNanos());
    assertNotNull(cache.lookup("alice", "s3cret", ALICE));
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertNull(cache.lookup("alice", "s3cret", ALICE)); // a hit did not extend it
    assertEquals(0, cache.size());

    cache.remember("a", "p", ALICE, ALICE_USER);
    cache.remember("b", "p", ALICE, ALICE_USER);
    assertNotNull(cache.lookup("a", "p", ALICE)); // a is now the most recently used
    cache.remember("c", "p", ALICE, ALICE_USER);
    assertEquals(2, cache.size());
    assertNotNull(cache.lookup("a", "p", ALICE));
    assertNull(cache.lookup("b", "p", ALICE));
  }

  @Test
  void sizeZeroRemembersNothing() {
    LoginCache cache = cache(0, Duration.ofHours(1));
    assertFalse(cache.enabled());
    cache.remember("alice", "s3cret", ALICE, ALICE_USER);
    assertNull(cache.lookup("alice", "s3cret", ALICE));
    assertEquals(0, cache.size());
  }

  @Test
  void theStoreIsFreshUntilItsCheckIsDue() throws Exception {
    Path file = temp.resolve("users");
    UserFile.writeEntries(file, Map.of("alice", ALICE));
    UserStore store = new UserStore(file, Duration.ofSeconds(5), clock::get, RANDOM);
    assertNull(store.usersIfFresh()); // never checked
    assertNotNull(store.entry("alice"));
    assertEquals(Map.of("alice", ALICE), store.usersIfFresh());
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertNull(store.usersIfFresh()); // a check is due: ask a worker
    UserStore always = new UserStore(file, Duration.ZERO, clock::get, RANDOM);
    always.entry("alice");
    assertNull(always.usersIfFresh()); // 0 checks before every AUTH
  }

  @Test
  void aHitNeedsNoWorkerWhenTheStoreIsFreshAndAMissStillRunsPbkdf2() throws Exception {
    Path file = temp.resolve("users");
    UserFile.writeEntries(file, Map.of("alice", ALICE));
    Vertx vertx = Vertx.vertx();
    try {
      WorkerExecutor one = vertx.createSharedWorkerExecutor("login-cache-test", 1);
      UserStore store = new UserStore(file, Duration.ofHours(1), clock::get, RANDOM);
      LoginCache cache = cache(10, Duration.ofHours(1));
      UserStoreAuthenticator auth = new UserStoreAuthenticator(one, store, cache);
      PasswordCheck first = auth.check("alice", "s3cret").await(30, TimeUnit.SECONDS);
      assertEquals(Verification.COMPUTED, first.verification());
      assertEquals(ALICE_USER, first.user());

      // Occupy the only worker: a hit must not wait for it, a miss must.
      CountDownLatch release = new CountDownLatch(1);
      one.executeBlocking(() -> release.await(30, TimeUnit.SECONDS), false);
      Future<PasswordCheck> hit = auth.check("alice", "s3cret");
      assertTrue(hit.isComplete(), "answered without a worker");
      assertEquals(new PasswordCheck(ALICE_USER, Verification.CACHED), hit.result());
      Future<PasswordCheck> wrong = auth.check("alice", "wrong");
      Future<PasswordCheck> unknown = auth.check("mallory", "s3cret");
      assertFalse(wrong.isComplete(), "a wrong password waits for PBKDF2 on the worker");
      release.countDown();
      assertEquals(PasswordCheck.computed(null), wrong.await(30, TimeUnit.SECONDS));
      assertEquals(PasswordCheck.computed(null), unknown.await(30, TimeUnit.SECONDS));
    } finally {
      vertx.close().await();
    }
  }

  private static UserFile.Entry copyOf(UserFile.Entry e) {
    return new UserFile.Entry(PasswordHash.parse(e.hash().encode()), e.domains());
  }
}
