package io.hermod.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The SCRAM-SHA-256 server state machine against RFC 7677 §3, and credentials from our stored hashes. */
class ScramServerTest {

  // RFC 7677 §3: user "user", password "pencil".
  static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
  static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
  static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  /** The user file line Hermod would hold for "user"/"pencil" with the RFC's salt and iteration count. */
  static PasswordHash storedHashOfPencil() throws Exception {
    byte[] salt = Base64.getDecoder().decode(SALT);
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt, 4096, 256)).getEncoded();
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PasswordHash.parse("$pbkdf2-sha256$4096$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash));
  }

  static ScramCredentials pencil() throws Exception {
    return ScramCredentials.of(storedHashOfPencil(), AuthenticatedUser.of("user", List.of()));
  }

  @Test
  void rfc7677TestVectorFromTheStoredPbkdf2Hash() throws Exception {
    ScramServer server = new ScramServer(() -> SERVER_NONCE);
    assertEquals("user", server.clientFirst(CLIENT_FIRST));
    assertEquals(SERVER_FIRST, server.serverFirst(pencil()));
    assertEquals(SERVER_FINAL, server.clientFinal(CLIENT_FINAL));
  }

  @Test
  void aWrongProofFailsWithoutAServerSignature() throws Exception {
    ScramServer server = new ScramServer(() -> SERVER_NONCE);
    server.clientFirst(CLIENT_FIRST);
    server.serverFirst(pencil());
    byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    proof[0] ^= 1;
    assertNull(server.clientFinal(CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf("p=") + 2)
        + Base64.getEncoder().encodeToString(proof)));
  }

  @Test
  void theRightProofAgainstDecoyCredentialsStillFails() throws Exception {
    ScramCredentials real = pencil();
    // Decoys that happen to carry the real keys: a decoy (no user) never authenticates.
    ScramCredentials decoy = new ScramCredentials(4096, real.salt(), real.storedKey(), real.serverKey(), null);
    ScramServer server = new ScramServer(() -> SERVER_NONCE);
    server.clientFirst(CLIENT_FIRST);
    server.serverFirst(decoy);
    assertNull(server.clientFinal(CLIENT_FINAL));
  }

  @Test
  void decoySaltsAreStablePerNameAndSecretAndLookReal() {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    SecureRandom random = new SecureRandom();
    ScramCredentials a1 = ScramCredentials.decoy("nobody", secret, random);
    ScramCredentials a2 = ScramCredentials.decoy("nobody", secret, random);
    ScramCredentials b = ScramCredentials.decoy("somebody", secret, random);
    assertArrayEquals(a1.salt(), a2.salt());
    assertFalse(java.util.Arrays.equals(a1.salt(), b.salt()));
    assertEquals(16, a1.salt().length);
    assertEquals(PasswordHash.DEFAULT_ITERATIONS, a1.iterations());
    assertNull(a1.user());
  }

  @Test
  void userStoreGivesRealCredentialsForUsersAndStableDecoysOtherwise(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
      throws Exception {
    java.nio.file.Path file = temp.resolve("users");
    java.nio.file.Files.writeString(file, "user:" + storedHashOfPencil().encode() + ":b.example\n");
    UserStore store = new UserStore(file, java.time.Duration.ZERO, System::nanoTime, new SecureRandom());
    ScramCredentials c = store.scramCredentials("user");
    assertArrayEquals(pencil().storedKey(), c.storedKey());
    assertEquals(Set.of("b.example"), c.user().senderDomains());
    assertArrayEquals(store.scramCredentials("ghost").salt(), store.scramCredentials("ghost").salt());
    assertNull(store.scramCredentials("ghost").user());
  }

  @Test
  void namesAreUnescapedAndTheAuthorizationIdentityMustBeTheUser() throws Exception {
    assertEquals("a,b=c", new ScramServer(() -> "x").clientFirst("n,,n=a=2Cb=3Dc,r=abc"));
    assertEquals("alice", new ScramServer(() -> "x").clientFirst("y,a=alice,n=alice,r=abc,ext=1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "p=tls-unique,,n=user,r=abc",      // channel binding: not supported
      "n,a=bob,n=alice,r=abc",            // acting for another user
      "x,,n=user,r=abc",                  // bad gs2 flag
      "n,,m=ext,n=user,r=abc",            // mandatory extension
      "n,,n=user",                        // no nonce
      "n,,n=,r=abc",                      // empty name
      "n,,n=us=er,r=abc",                 // bad escape
      "n,,r=abc,n=user",                  // order
      "n,,n=user,r=",                     // empty nonce
      "n,n=user,r=abc",                   // gs2 header without the second comma
  })
  void malformedClientFirstMessagesAreRefused(String message) {
    ScramServer server = new ScramServer(() -> "x");
    assertThrows(ScramServer.ScramException.class, () -> server.clientFirst(message));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",                       // no proof
      "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", // c= not our header
      "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",  // nonce without ours
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=!!!",              // proof not base64
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA",             // proof too short
  })
  void malformedClientFinalMessagesAreRefused(String message) throws Exception {
    ScramServer server = new ScramServer(() -> SERVER_NONCE);
    server.clientFirst(CLIENT_FIRST);
    server.serverFirst(pencil());
    assertThrows(ScramServer.ScramException.class, () -> server.clientFinal(message));
  }

  @Test
  void messagesOutOfOrderAreRefused() throws Exception {
    ScramServer server = new ScramServer(() -> SERVER_NONCE);
    assertThrows(ScramServer.ScramException.class, () -> server.clientFinal(CLIENT_FINAL));
    ScramServer again = new ScramServer(() -> SERVER_NONCE);
    again.clientFirst(CLIENT_FIRST);
    again.serverFirst(pencil());
    again.clientFinal(CLIENT_FINAL);
    assertThrows(ScramServer.ScramException.class, () -> again.clientFinal(CLIENT_FINAL)); // no replay
  }

  @Test
  void aHashThatIsNot32BytesCannotServeScram() {
    PasswordHash short16 = PasswordHash.parse("$pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA");
    assertNull(ScramCredentials.of(short16, AuthenticatedUser.of("u", List.of())));
  }
}
