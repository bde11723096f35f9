package io.hermod.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802 §5 and §7, RFC 7677), as a pure state machine:
 * client-first → (the caller looks up the user's {@link ScramCredentials}) → server-first → client-final →
 * server-final. Channel binding is not supported: the GS2 header must be {@code n,,} or {@code y,,}
 * (we advertise no -PLUS mechanism, so "y" is no downgrade), {@code p=} fails. The authorization identity,
 * if given, must be the user itself. Messages are the decoded (UTF-8) SASL messages, not base64.
 */
public final class ScramServer {

  public static final String MECHANISM = "SCRAM-SHA-256";
  private static final int NONCE_BYTES = 24;

  /** A message that is malformed, out of order or asks for something we do not support. */
  public static final class ScramException extends Exception {
    public ScramException(String message) {
      super(message);
    }
  }

  private enum State { CLIENT_FIRST, SERVER_FIRST, CLIENT_FINAL, DONE }

  private final Supplier<String> serverNonces;
  private State state = State.CLIENT_FIRST;
  private String gs2Header;
  private String clientFirstBare;
  private String user;
  private String nonce;
  private String serverFirst;
  private ScramCredentials credentials;

  /** @param serverNonces the server's part of each nonce: printable ASCII without ',' */
  public ScramServer(Supplier<String> serverNonces) {
    this.serverNonces = serverNonces;
  }

  /** With 24 bytes from SecureRandom per nonce, base64-encoded. */
  public static ScramServer create(SecureRandom random) {
    return new ScramServer(() -> {
      byte[] bytes = new byte[NONCE_BYTES];
      random.nextBytes(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    });
  }

  /** RFC 5802 §7 client-first-message; returns the user name (saslname decoded) to look up. */
  public String clientFirst(String message) throws ScramException {
    expect(State.CLIENT_FIRST);
    state = State.DONE; // until it succeeds
    if (message.startsWith("p=")) {
      throw new ScramException("channel binding not supported");
    }
    if (!message.startsWith("n,") && !message.startsWith("y,")) {
      throw new ScramException("bad gs2 header");
    }
    int endOfHeader = message.indexOf(',', 2);
    if (endOfHeader < 0) {
      throw new ScramException("bad gs2 header");
    }
    String authzid = message.substring(2, endOfHeader);
    gs2Header = message.substring(0, endOfHeader + 1);
    clientFirstBare = message.substring(endOfHeader + 1);
    String[] fields = clientFirstBare.split(",", -1);
    if (fields.length < 2 || fields[0].startsWith("m=")) {
      throw new ScramException(fields.length < 2 ? "missing fields" : "mandatory extension not supported");
    }
    user = saslName(field(fields[0], 'n'));
    String clientNonce = field(fields[1], 'r');
    if (user.isEmpty() || !validNonce(clientNonce)) {
      throw new ScramException("bad user name or nonce");
    }
    if (!authzid.isEmpty() && !saslName(field(authzid, 'a')).equals(user)) {
      throw new ScramException("acting for another user is not permitted");
    }
    nonce = clientNonce + serverNonces.get();
    state = State.SERVER_FIRST;
    return user;
  }

  /** RFC 5802 §7 server-first-message, with the credentials the caller found for the user (or decoys). */
  public String serverFirst(ScramCredentials credentials) {
    if (state != State.SERVER_FIRST) {
      throw new IllegalStateException("server-first in state " + state);
    }
    this.credentials = credentials;
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
        + ",i=" + credentials.iterations();
    state = State.CLIENT_FINAL;
    return serverFirst;
  }

  /**
   * RFC 5802 §7 client-final-message: the server-final-message ({@code v=...}) when the proof is right,
   * null when it is wrong (a failed authentication).
   */
  public String clientFinal(String message) throws ScramException {
    expect(State.CLIENT_FINAL);
    state = State.DONE;
    int proofAt = message.lastIndexOf(",p=");
    if (proofAt < 0) {
      throw new ScramException("missing proof");
    }
    String withoutProof = message.substring(0, proofAt);
    String[] fields = withoutProof.split(",", -1);
    if (fields.length < 2) {
      throw new ScramException("missing fields");
    }
    String binding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
    if (!field(fields[0], 'c').equals(binding)) {
      throw new ScramException("channel binding data does not match the gs2 header");
    }
    if (!field(fields[1], 'r').equals(nonce)) {
      throw new ScramException("nonce does not match");
    }
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      throw new ScramException("proof is not base64");
    }
    if (proof.length != ScramCredentials.KEY_BYTES) {
      throw new ScramException("proof has the wrong length");
    }
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] clientSignature = ScramCredentials.hmac(credentials.storedKey(), authMessage);
    byte[] clientKey = new byte[proof.length];
    for (int i = 0; i < proof.length; i++) {
      clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
    }
    // Constant time, and decoys (user == null) never pass, whatever their random keys.
    boolean ok = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), credentials.storedKey());
    if (!ok || credentials.user() == null) {
      return null;
    }
    return "v=" + Base64.getEncoder().encodeToString(ScramCredentials.hmac(credentials.serverKey(), authMessage));
  }

  /** The user name of client-first (null before it). */
  public String user() {
    return user;
  }

  private void expect(State expected) throws ScramException {
    if (state != expected) {
      throw new ScramException("unexpected message in state " + state);
    }
  }

  /** "x=value" → value. */
  private static String field(String text, char name) throws ScramException {
    if (text.length() < 2 || text.charAt(0) != name || text.charAt(1) != '=') {
      throw new ScramException("expected " + name + "=");
    }
    return text.substring(2);
  }

  /** RFC 5802 §5.1: "=2C" is ',', "=3D" is '='; any other '=' is malformed. */
  private static String saslName(String text) throws ScramException {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '=') {
        sb.append(c);
      } else if (text.startsWith("=2C", i)) {
        sb.append(',');
        i += 2;
      } else if (text.startsWith("=3D", i)) {
        sb.append('=');
        i += 2;
      } else {
        throw new ScramException("bad escape in name");
      }
    }
    return sb.toString();
  }

  /** RFC 5802 §7: printable = %x21-2B / %x2D-7E (printable ASCII except ','). */
  private static boolean validNonce(String nonce) {
    return !nonce.isEmpty() && nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',');
  }
}
