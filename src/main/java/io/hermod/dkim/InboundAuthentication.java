package io.hermod.dkim;

import io.vertx.core.Future;
import java.util.List;

/**
 * Follows one inbound message to its Authentication-Results field: the SPF result known since MAIL FROM,
 * and, when DKIM verification is on, a {@link MessageDkimVerifier} fed with the content as it streams.
 */
public final class InboundAuthentication {

  private final String authservId;
  private final AuthenticationResults.Spf spf;
  private final MessageDkimVerifier dkim;

  /**
   * @param spf  the SPF result, or null when SPF did not run
   * @param dkim the verifier, or null when DKIM verification is off
   */
  public InboundAuthentication(String authservId, AuthenticationResults.Spf spf, MessageDkimVerifier dkim) {
    this.authservId = authservId;
    this.spf = spf;
    this.dkim = dkim;
  }

  public void update(byte[] b, int from, int to) {
    if (dkim != null) {
      dkim.update(b, from, to);
    }
  }

  /** The field with its CRLF, once every key lookup has answered or timed out; never fails. */
  public Future<String> header() {
    Future<List<DkimVerdict>> verdicts = dkim == null ? Future.succeededFuture(List.of()) : dkim.verdicts();
    return verdicts.map(v -> AuthenticationResults.header(authservId, spf, v));
  }
}
