package io.hermod.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Authentication-Results field (RFC 8601): its layout, and that client text cannot end or extend it. */
class AuthenticationResultsTest {

  @Test
  void valuesAreTokensOrQuotedStrings() {
    String[][] table = {
        {"user@example.org", "user@example.org"},
        {"[192.0.2.1]", "\"[192.0.2.1]\""},                 // "[" is a tspecial (RFC 2045)
        {"ab/c+d=", "\"ab/c+d=\""},                          // base64 with "/" or "=" must be quoted
        {"x\"y\\z\r\nInjected: 1", "\"x\\\"y\\\\z??Injected: 1\""}, // no CR LF ever, quotes escaped
        {"", "\"\""},
    };
    for (String[] row : table) {
      assertEquals(row[1], AuthenticationResults.value(row[0]), row[0]);
    }
  }

  @Test
  void layout() {
    assertEquals("Authentication-Results: mx.example; none\r\n",
        AuthenticationResults.header("mx.example", null, List.of()));
    assertEquals("Authentication-Results: mx.example;\r\n\tspf=softfail smtp.helo=client.example\r\n",
        AuthenticationResults.header("mx.example", AuthenticationResults.Spf.of("softfail", "", "client.example"),
            List.of()));
    assertEquals("Authentication-Results: mx.example;\r\n\tdkim=pass reason=testing header.d=example.org"
            + " header.s=s1 header.a=ed25519-sha256 header.b=\"abc/defg\";\r\n\tdkim=permerror reason=\"bad d=\"\r\n",
        AuthenticationResults.header("mx.example", null, List.of(
            new DkimVerdict(DkimResult.PASS, "example.org", "s1", "ed25519-sha256", "abc/defghijk", "testing"),
            new DkimVerdict(DkimResult.PERMERROR, null, null, null, null, "bad d="))));
  }
}
