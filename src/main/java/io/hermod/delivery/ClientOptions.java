package io.hermod.delivery;

import io.hermod.tlspolicy.TlsLevel;

import io.hermod.smtp.ReplyParser;

import java.util.Objects;

/**
 * Settings of one outbound SMTP session.
 *
 * @param heloName          the name we give in EHLO/HELO (our FQDN)
 * @param tlsPolicy         the TLS level when a job's host brings no policy of its own ({@link TlsLevel}; may by default)
 * @param timeouts          per-stage timeouts
 * @param maxReplyLineLength longest reply line accepted from the server, in octets
 * @param maxReplyLines     most lines accepted in one reply
 * @param tls               TLS versions, ciphers, the peer check and the TLS-RPT sink ({@link OutboundTls})
 */
public record ClientOptions(String heloName, TlsLevel tlsPolicy, StageTimeouts timeouts, int maxReplyLineLength,
                            int maxReplyLines, OutboundTls tls) {

  public ClientOptions {
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(tlsPolicy, "tlsPolicy");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(tls, "tls");
    if (maxReplyLineLength < 512 || maxReplyLines < 1) {
      // RFC 5321 §4.5.3.1.5: a reply line may be 512 octets.
      throw new IllegalArgumentException("reply limits too small");
    }
  }

  /** Opportunistic TLS, RFC 5321 timeouts, reply limits 4096 octets × 100 lines. */
  public static ClientOptions defaults(String heloName) {
    return new ClientOptions(heloName, TlsLevel.MAY, StageTimeouts.rfc5321(),
        ReplyParser.DEFAULT_MAX_LINE_LENGTH, ReplyParser.DEFAULT_MAX_LINES, OutboundTls.OPPORTUNISTIC);
  }

  public ClientOptions withTlsPolicy(TlsLevel policy) {
    return new ClientOptions(heloName, policy, timeouts, maxReplyLineLength, maxReplyLines, tls);
  }

  /** The same settings with another EHLO/HELO name (an egress source's). */
  public ClientOptions withHeloName(String name) {
    return new ClientOptions(name, tlsPolicy, timeouts, maxReplyLineLength, maxReplyLines, tls);
  }

  /** The same settings with another TLS setup (versions, ciphers, peer check, reports). */
  public ClientOptions withTls(OutboundTls t) {
    return new ClientOptions(heloName, tlsPolicy, timeouts, maxReplyLineLength, maxReplyLines, t);
  }

  public ClientOptions withTimeouts(StageTimeouts t) {
    return new ClientOptions(heloName, tlsPolicy, t, maxReplyLineLength, maxReplyLines, tls);
  }
}
