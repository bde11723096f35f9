package io.hermod.smtp;

import java.util.Set;

/** A parsed SMTP command (RFC 5321 §4.1.1, RFC 3030, RFC 3207, RFC 4954). */
public sealed interface Command {

  /** HELO or EHLO. */
  record Hello(String name, boolean extended) implements Command {
  }

  /** MAIL FROM; {@code sender} is null for the null reverse-path {@code <>}. */
  record Mail(Mailbox sender, MailParameters params) implements Command {
  }

  record Rcpt(Mailbox recipient, RcptParameters params) implements Command {
  }

  record Data() implements Command {
  }

  /** RFC 3030 BDAT chunk-size [LAST]. */
  record Bdat(long size, boolean last) implements Command {
  }

  record Rset() implements Command {
  }

  record Noop() implements Command {
  }

  record Quit() implements Command {
  }

  record Vrfy(String argument) implements Command {
  }

  record Help() implements Command {
  }

  record StartTls() implements Command {
  }

  record Auth(String mechanism, String initialResponse) implements Command {
  }

  /** A verb we know but do not offer (EXPN, TURN, ETRN...). */
  record NotImplemented(String verb) implements Command {
  }

  /**
   * MAIL FROM parameters (RFC 1870 SIZE, RFC 6152/3030 BODY, RFC 6531 SMTPUTF8, RFC 3461 RET and ENVID, RFC 4954
   * §5 AUTH, RFC 8689 §2 REQUIRETLS).
   *
   * @param size  declared size, or -1 when not given
   * @param envid xtext-decoded ENVID, or null
   * @param auth  xtext-decoded AUTH: "&lt;&gt;" (submitter unknown) or an addr-spec; null when not given
   * @param requireTls REQUIRETLS was given: the message may only be relayed over verified TLS
   */
  record MailParameters(long size, BodyType body, boolean smtpUtf8, DsnRet ret, String envid, String auth,
                        boolean requireTls) {
    public static final MailParameters NONE = new MailParameters(-1, BodyType.SEVEN_BIT, false, null, null, null);

    /** Without REQUIRETLS. */
    public MailParameters(long size, BodyType body, boolean smtpUtf8, DsnRet ret, String envid, String auth) {
      this(size, body, smtpUtf8, ret, envid, auth, false);
    }

    /** Without AUTH. */
    public MailParameters(long size, BodyType body, boolean smtpUtf8, DsnRet ret, String envid) {
      this(size, body, smtpUtf8, ret, envid, null);
    }
  }

  /**
   * RCPT TO parameters (RFC 3461 NOTIFY and ORCPT).
   *
   * @param notifyOn empty when not given
   * @param orcpt  "addr-type;decoded-address", or null
   */
  record RcptParameters(Set<DsnNotify> notifyOn, String orcpt) {
    public static final RcptParameters NONE = new RcptParameters(Set.of(), null);
  }
}
