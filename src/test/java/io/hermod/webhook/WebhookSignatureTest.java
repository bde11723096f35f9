package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The signature is HMAC-SHA256 over "timestamp.body"; vectors computed independently with Python's hmac module. */
class WebhookSignatureTest {

  private static final byte[] SECRET = "whsec_0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String BODY = "{\"node\":\"n1\",\"events\":[]}";
  private static final String GOOD = "v1=f7425fec9f89e4877e91d8a3ddd354034fbb01d8de2b480fcd7588c6b27955c8";

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of(1765000000L, BODY, GOOD),
        Arguments.of(1765000000L, "", "v1=5ea0f56e778048b742823f9c29870d1e6b70c34033455af8a00c9400cc872219"));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void signsTimestampDotBodyAsPythonsHmacDoes(long timestamp, String body, String expected) {
    assertEquals(expected, new WebhookSignature(SECRET).sign(timestamp, bytes(body)));
  }

  static Stream<Arguments> verifications() {
    return Stream.of(
        Arguments.of("the signed POST", SECRET, 1765000000L, BODY, GOOD, true),
        Arguments.of("uppercase hex", SECRET, 1765000000L, BODY, "v1=" + GOOD.substring(3).toUpperCase(), true),
        Arguments.of("a tampered body", SECRET, 1765000000L, BODY.replace("n1", "n2"), GOOD, false),
        Arguments.of("a byte added to the body", SECRET, 1765000000L, BODY + " ", GOOD, false),
        Arguments.of("another timestamp (a replay re-dated)", SECRET, 1765000001L, BODY, GOOD, false),
        Arguments.of("another secret", "whsec_0123456789abcdeF".getBytes(StandardCharsets.UTF_8), 1765000000L, BODY,
            GOOD, false),
        Arguments.of("no scheme prefix", SECRET, 1765000000L, BODY, GOOD.substring(3), false),
        Arguments.of("an unknown scheme", SECRET, 1765000000L, BODY, "v2=" + GOOD.substring(3), false),
        Arguments.of("not hex", SECRET, 1765000000L, BODY, "v1=zz" + GOOD.substring(5), false),
        Arguments.of("truncated", SECRET, 1765000000L, BODY, GOOD.substring(0, GOOD.length() - 2), false),
        Arguments.of("empty", SECRET, 1765000000L, BODY, "", false),
        Arguments.of("missing", SECRET, 1765000000L, BODY, null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verifications")
  void verifiesOnlyTheExactBodyTimestampAndSecret(String what, byte[] secret, long timestamp, String body,
                                                   String header, boolean valid) {
    assertEquals(valid, new WebhookSignature(secret).verify(timestamp, bytes(body), header), what);
  }

  @Test
  void anEmptySecretIsRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new WebhookSignature(new byte[0]));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
