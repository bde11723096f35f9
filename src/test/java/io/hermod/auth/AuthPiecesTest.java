package io.hermod.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Password hashes, the user file and its reload, SASL PLAIN parsing, and the `hermod user` command. */
class AuthPiecesTest {

  @TempDir
  Path temp;

  @Test
  void passwordHashRoundTripsAndUsesTheDocumentedFormat() {
    PasswordHash h = PasswordHash.create("s3cret", new SecureRandom());
    String text = h.encode();
    assertTrue(text.matches("\\$pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), text);
    PasswordHash back = PasswordHash.parse(text);
    assertTrue(back.matches("s3cret"));
    assertFalse(back.matches("s3cret "));
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("$pbkdf2-sha1$1000$abc$def"));
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("$pbkdf2-sha256$0$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"));
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("$pbkdf2-sha256$1000$!!$AAAA"));
  }

  @Test
  void matchesAPublishedPbkdf2HmacSha256Vector() {
    // The widely published PBKDF2-HMAC-SHA256 vector (c=4096, dkLen=40); we store the first 32 bytes.
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
    String salt = b64.encodeToString("saltSALTsaltSALTsaltSALTsaltSALTsalt".getBytes(StandardCharsets.US_ASCII));
    String hash = b64.encodeToString(java.util.HexFormat.of().parseHex(
        "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1"));
    PasswordHash h = PasswordHash.parse("$pbkdf2-sha256$4096$" + salt + "$" + hash);
    assertTrue(h.matches("passwordPASSWORDpassword"));
    assertFalse(h.matches("passwordPASSWORDpassworD"));
  }

  @Test
  void userFileSkipsBadLinesAndStoreReloadsOnChange() throws Exception {
    Path file = temp.resolve("users");
    Files.writeString(file, "# comment\n\nalice:" + PasswordHash.create("a", new SecureRandom()).encode()
        + "\nbroken line\nbob:$pbkdf2-sha256$x$y$z\n");
    UserFile.Contents c = UserFile.read(file);
    assertEquals(1, c.users().size());
    assertEquals(2, c.problems().size(), c.problems().toString());

    AtomicLong clock = new AtomicLong();
    UserStore store = new UserStore(file, Duration.ofSeconds(5), clock::get, new SecureRandom());
    assertTrue(store.verify("alice", "a"));
    assertFalse(store.verify("alice", "b"));
    assertFalse(store.verify("nobody", "a"));
    Files.writeString(file, "carol:" + PasswordHash.create("c", new SecureRandom()).encode() + "\n");
    assertFalse(store.verify("carol", "c"), "checked again only after the interval");
    clock.addAndGet(Duration.ofSeconds(6).toNanos());
    assertTrue(store.verify("carol", "c"));
    assertFalse(store.verify("alice", "a"));
    Files.delete(file);
    clock.addAndGet(Duration.ofSeconds(6).toNanos());
    assertEquals(0, store.size());
  }

  @Test
  void saslPlain() {
    Sasl.Plain p = Sasl.parsePlain("\0alice\0pw".getBytes(StandardCharsets.UTF_8));
    assertEquals(new Sasl.Plain("", "alice", "pw"), p);
    assertTrue(p.authzidAcceptable());
    assertFalse(Sasl.parsePlain("bob\0alice\0pw".getBytes(StandardCharsets.UTF_8)).authzidAcceptable());
    assertNull(Sasl.parsePlain("alice\0pw".getBytes(StandardCharsets.UTF_8)));
    assertNull(Sasl.parsePlain("\0alice\0pw\0x".getBytes(StandardCharsets.UTF_8)));
    assertNull(Sasl.parsePlain(new byte[] {0, 'a', 0, (byte) 0xff}));
    assertNull(Sasl.decodeBase64("not base64!"));
    assertEquals(0, Sasl.decodeBase64("=").length);
  }

  @Test
  void userCommandAddsChangesListsAndDeletes() throws Exception {
    Path file = temp.resolve("data/users");
    assertEquals(0, run("secret1\n", "add", "alice", "--password-stdin", "--file", file.toString()));
    assertEquals(1, run("x\n", "add", "alice", "--password-stdin", "--file", file.toString()));
    assertEquals(1, run("", "add", "bob", "--password-stdin", "--file", file.toString())); // empty password
    assertTrue(UserFile.read(file).users().get("alice").matches("secret1"));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(0, run("secret2\n", "passwd", "alice", "--password-stdin", "--file", file.toString()));
    assertTrue(UserFile.read(file).users().get("alice").matches("secret2"));
    assertEquals(0, run("", "list", "--file", file.toString()));
    assertEquals("alice\n", lastOut);
    assertEquals(2, run("pw\n", "add", "bad:name", "--password-stdin", "--file", file.toString()));
    assertEquals(0, run("", "del", "alice", "--file", file.toString()));
    assertTrue(UserFile.read(file).users().isEmpty());
    assertEquals(1, run("", "del", "alice", "--file", file.toString()));
  }

  @Test
  void userCommandSetsSenderDomainsAndPasswdKeepsThem() throws Exception {
    Path file = temp.resolve("users");
    String f = file.toString();
    assertEquals(0, run("pw\n", "add", "bob", "--domains", "B.example,c.example", "--password-stdin", "--file", f));
    assertEquals(List.of("b.example", "c.example"), UserFile.read(file).entries().get("bob").domains());
    assertTrue(Files.readString(file).contains("\nbob:$pbkdf2-sha256$210000$"), Files.readString(file));
    assertTrue(Files.readString(file).contains(":b.example,c.example\n"), Files.readString(file));
    assertEquals(0, run("pw2\n", "passwd", "bob", "--password-stdin", "--file", f));
    assertEquals(List.of("b.example", "c.example"), UserFile.read(file).entries().get("bob").domains());
    assertTrue(UserFile.read(file).users().get("bob").matches("pw2"));
    assertEquals(0, run("", "list", "--file", f));
    assertEquals("bob b.example,c.example\n", lastOut);
    assertEquals(0, run("", "domains", "bob", "d.example", "--file", f));
    assertEquals(List.of("d.example"), UserFile.read(file).entries().get("bob").domains());
    assertEquals(0, run("", "domains", "bob", "", "--file", f));
    assertEquals(List.of(), UserFile.read(file).entries().get("bob").domains());
    assertEquals(2, run("", "domains", "bob", "not a domain", "--file", f));
    assertEquals(2, run("pw\n", "add", "carol", "--domains", "a..example", "--password-stdin", "--file", f));
    assertEquals(1, run("", "domains", "nobody", "a.example", "--file", f));
    assertEquals(2, run("pw\n", "passwd", "bob", "--domains", "a.example", "--password-stdin", "--file", f));
  }

  @Test
  void userFileWithoutDomainsStaysReadableAndBadDomainListsAreSkipped() throws Exception {
    Path file = temp.resolve("users");
    String hash = PasswordHash.create("a", new SecureRandom()).encode();
    Files.writeString(file, "old:" + hash + "\nnew:" + hash + ":a.example\nbad:" + hash + ":not a domain\n"
        + "many:" + hash + ":a.example:b.example\n");
    UserFile.Contents c = UserFile.read(file);
    assertEquals(List.of(), c.entries().get("old").domains());
    assertEquals(List.of("a.example"), c.entries().get("new").domains());
    assertEquals(2, c.problems().size(), c.problems().toString());
    AuthenticatedUser alice = AuthenticatedUser.of("alice@Mail.Example", List.of("other.example"));
    assertEquals(java.util.Set.of("mail.example", "other.example"), alice.senderDomains());
    assertTrue(alice.mayUseSender("x@OTHER.example"));
    assertTrue(alice.mayUseSender(""));
    assertFalse(alice.mayUseSender("x@sub.mail.example"));
    assertFalse(alice.mayUseSender("x@[192.0.2.1]"));
    assertFalse(AuthenticatedUser.of("alice", List.of()).mayUseSender("alice@localhost"));
  }

  private String lastOut;

  private int run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new UserCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null)
        .run(args, temp.resolve("none.json").toString());
    lastOut = out.toString(StandardCharsets.UTF_8);
    return code;
  }
}
