package io.hermod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserCommand;
import io.hermod.auth.UserFile;
import io.hermod.testing.TestHermod;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The login cache (auth.cacheSize, docs/security.md) over real connections: Python's smtplib logs in with PLAIN
 * and LOGIN after STARTTLS on a submission listener; the user file is a real file changed with the `hermod user`
 * command and rewritten by hand; hits are read from hermod_auth_logins_total, never from timing. The file is
 * checked before every AUTH (auth.reloadCheckSeconds 0), so "at once" means the very next login. Each test
 * has its own user and client address (the brute-force throttle counts per address).
 */
@Timeout(300)
class AuthCacheTest {

  static final int MAX_FAILURES = 5;

  @TempDir
  static Path temp;
  static TestHermod h;
  static Path cert;
  static Path users;

  @BeforeAll
  static void start() throws Exception {
    users = temp.resolve("users");
    Map<String, PasswordHash> all = new LinkedHashMap<>();
    for (String[] u : new String[][] {{"alice", "s3cret"}, {"bob", "b0b-pass"}, {"carol", "c4rol"}, {"dave", "d4ve"}}) {
      all.put(u[0], PasswordHash.create(u[1], new SecureRandom()));
    }
    UserFile.write(users, all);
    JsonObject config = new JsonObject()
        .put("listeners", new JsonArray().add(TlsAuthTest.listener("submission", "submission", "starttls")))
        .put("tls", new JsonObject().put("generatedDirectory", temp.resolve("tls").toString()))
        .put("auth", new JsonObject().put("usersFile", users.toString()).put("reloadCheckSeconds", 0)
            .put("maxFailures", MAX_FAILURES).put("failureWindowSeconds", 600).put("failureDelayMillis", 100));
    h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config);
    cert = temp.resolve("tls/cert.pem");
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void aReturningUserIsServedFromTheCacheWhateverTheMechanism() throws Exception {
    double plainMiss = logins("plain", "success", "miss");
    double plainHit = logins("plain", "success", "hit");
    double loginHit = logins("login", "success", "hit");
    List<JsonObject> sessions = run("127.0.0.11",
        login("PLAIN", "alice", "s3cret", true), login("PLAIN", "alice", "s3cret", true),
        login("PLAIN", "alice", "s3cret", true), login("LOGIN", "alice", "s3cret", true),
        login("LOGIN", "alice", "s3cret", false));
    assertEquals(List.of(235, 235, 235, 235, 235), auth(sessions), sessions.toString());
    assertEquals(250, sessions.get(3).getInteger("mail"), sessions.toString());
    assertEquals(1, logins("plain", "success", "miss") - plainMiss, "the first login runs PBKDF2");
    assertEquals(2, logins("plain", "success", "hit") - plainHit);
    assertEquals(2, logins("login", "success", "hit") - loginHit, "LOGIN finds what PLAIN verified");
  }

  @Test
  void aWrongPasswordIsNeverAnsweredFromTheCache() throws Exception {
    double failures = logins("plain", "failure", "miss") + logins("login", "failure", "miss");
    List<JsonObject> sessions = run("127.0.0.12",
        login("PLAIN", "bob", "b0b-pass", false), login("PLAIN", "bob", "b0b-pass", false),
        login("PLAIN", "bob", "b0b-pass ", false), login("LOGIN", "bob", "B0B-pass", false),
        login("PLAIN", "bob", "b0b-pass", false));
    assertEquals(List.of(235, 235, 535, 535, 235), auth(sessions), sessions.toString());
    assertEquals(2, logins("plain", "failure", "miss") + logins("login", "failure", "miss") - failures);
    assertEquals(0, logins("plain", "failure", "hit") + logins("login", "failure", "hit"));
  }

  @Test
  void aChangedOrRemovedUserIsForgottenAtOnce() throws Exception {
    assertEquals(List.of(235, 235), auth(run("127.0.0.13",
        login("PLAIN", "carol", "c4rol", false), login("PLAIN", "carol", "c4rol", false))));
    double hits = logins("plain", "success", "hit");

    assertEquals(0, userCommand("n3w-pass", "passwd", "carol")); // the CLI, as an operator runs it
    assertEquals(List.of(535, 235, 235), auth(run("127.0.0.13",
        login("PLAIN", "carol", "c4rol", false), login("PLAIN", "carol", "n3w-pass", false),
        login("PLAIN", "carol", "n3w-pass", false))));
    assertEquals(1, logins("plain", "success", "hit") - hits, "only the last login was a hit");

    // Another tool rewrites the file (atomically, as configuration management would).
    Map<String, UserFile.Entry> all = new LinkedHashMap<>(UserFile.read(users).entries());
    all.put("carol", new UserFile.Entry(PasswordHash.create("r3written", new SecureRandom())));
    UserFile.writeEntries(users, all);
    assertEquals(List.of(535, 235), auth(run("127.0.0.13",
        login("PLAIN", "carol", "n3w-pass", false), login("PLAIN", "carol", "r3written", false))));

    assertEquals(0, userCommand(null, "del", "carol"));
    assertEquals(List.of(535), auth(run("127.0.0.13", login("PLAIN", "carol", "r3written", false))));
  }

  @Test
  void theBruteForceThrottleStillCountsEveryFailureOfACachedUser() throws Exception {
    double failures = failuresTotal();
    List<JsonObject> steps = new ArrayList<>();
    steps.add(login("PLAIN", "dave", "d4ve", false));
    steps.add(login("PLAIN", "dave", "d4ve", false)); // cached from here on
    for (int i = 0; i < MAX_FAILURES; i++) {
      steps.add(login("PLAIN", "dave", "guess-" + i, false));
    }
    steps.add(login("PLAIN", "dave", "d4ve", false)); // the right password, but this address is blocked
    List<JsonObject> sessions = run("127.0.0.14", steps.toArray(JsonObject[]::new));
    assertEquals(List.of(235, 235, 535, 535, 535, 535, 421, 454), auth(sessions), sessions.toString());
    assertEquals(MAX_FAILURES, failuresTotal() - failures);
    // Another address is not blocked, and still gets its cached login.
    double hits = logins("plain", "success", "hit");
    assertEquals(List.of(235), auth(run("127.0.0.15", login("PLAIN", "dave", "d4ve", false))));
    assertEquals(1, logins("plain", "success", "hit") - hits);
  }

  private static List<JsonObject> run(String source, JsonObject... sessions) throws Exception {
    JsonObject plan = PythonSmtpSessions.plan(h.hermod.port(0), "starttls", cert, false).put("source", source);
    for (JsonObject s : sessions) {
      plan.getJsonArray("sessions").add(s);
    }
    List<JsonObject> out = PythonSmtpSessions.run(plan);
    assertEquals(sessions.length, out.size(), out.toString());
    return out;
  }

  private static JsonObject login(String mechanism, String user, String password, boolean mail) {
    return PythonSmtpSessions.session(mechanism, user, password, mail);
  }

  private static List<Integer> auth(List<JsonObject> sessions) {
    return sessions.stream().map(s -> s.getInteger("auth")).toList();
  }

  private static int userCommand(String password, String... args) {
    String[] withFile = new String[args.length + 3];
    System.arraycopy(args, 0, withFile, 0, args.length);
    withFile[args.length] = "--password-stdin";
    withFile[args.length + 1] = "--file";
    withFile[args.length + 2] = users.toString();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new UserCommand(new ByteArrayInputStream(((password == null ? "" : password) + "\n")
        .getBytes(StandardCharsets.UTF_8)), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), null)
        .run(withFile, "/nonexistent/hermod.json");
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return code;
  }

  private static double logins(String mechanism, String outcome, String cache) {
    return h.hermod.registry().find("hermod.auth.logins").tags("mechanism", mechanism, "outcome", outcome,
        "cache", cache).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double failuresTotal() {
    return h.hermod.registry().find("hermod.auth.failures").counters().stream().mapToDouble(Counter::count).sum();
  }
}
