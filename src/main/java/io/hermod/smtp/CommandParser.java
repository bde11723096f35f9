package io.hermod.smtp;

import io.hermod.smtp.Command.MailParameters;
import io.hermod.smtp.Command.RcptParameters;

import java.util.EnumSet;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * Turns one command line (CRLF removed, decoded as UTF-8) into a {@link Command}. Pure: no state, no I/O.
 * Leniency is deliberate and limited to what real clients send: verbs in any case, and spaces after
 * "FROM:"/"TO:" (RFC 5321 forbids them, but Postfix and Exim accept them). Angle brackets are required.
 */
public final class CommandParser {

  private static final int MAX_ENVID = 100;   // RFC 3461 §4.4
  private static final int MAX_ORCPT = 500;   // RFC 3461 §4.2
  private static final int MAX_AUTH = 500;    // RFC 4954 §5: xtext of an addr-spec (a 256-octet path, encoded)

  private CommandParser() {
  }

  public static ParseResult parse(String line) {
    // RFC 5321 §2.3.8: CR and LF only ever end a line. LineReader strips the CRLF and refuses bare ones, but
    // the parser does not rely on it: otherwise "NOOP \r", "HELO x\r\n" or "VRFY a\nb" parsed to commands
    // (found by CommandParserFuzzTest; trim() ate trailing ones, NOOP/VRFY/AUTH kept inner ones).
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
      return ParseResult.error(Replies.UNRECOGNIZED);
    }
    int sp = line.indexOf(' ');
    String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    String arg = sp < 0 ? "" : line.substring(sp + 1);
    switch (verb) {
      case "EHLO":
      case "HELO":
        return hello(arg.trim(), verb.equals("EHLO"));
      case "MAIL":
        return mail(arg);
      case "RCPT":
        return rcpt(arg);
      case "DATA":
        return noArgument(arg, new Command.Data());
      case "BDAT":
        return bdat(arg);
      case "RSET":
        return noArgument(arg, new Command.Rset());
      case "QUIT":
        return noArgument(arg, new Command.Quit());
      case "NOOP":
        return ParseResult.ok(new Command.Noop()); // RFC 5321 §4.1.1.9: a parameter may be given and is ignored
      case "VRFY":
        return arg.isBlank() ? ParseResult.error(Replies.SYNTAX_PARAMS) : ParseResult.ok(new Command.Vrfy(arg.trim()));
      case "HELP":
        return ParseResult.ok(new Command.Help());
      case "STARTTLS":
        return noArgument(arg, new Command.StartTls());
      case "AUTH":
        return auth(arg);
      case "EXPN":
      case "TURN":
      case "ETRN":
      case "SEND":
      case "SOML":
      case "SAML":
        return ParseResult.ok(new Command.NotImplemented(verb));
      case "GET":
      case "HEAD":
      case "POST":
      case "PUT":
      case "DELETE":
      case "OPTIONS":
      case "CONNECT":
      case "TRACE":
      case "PATCH":
        return ParseResult.error(Replies.NOT_SMTP); // HTTP sent to an SMTP port (cross-protocol attacks)
      default:
        return ParseResult.error(Replies.UNRECOGNIZED);
    }
  }

  private static ParseResult noArgument(String arg, Command c) {
    return arg.isEmpty() ? ParseResult.ok(c) : ParseResult.error(Replies.SYNTAX_PARAMS);
  }

  /** RFC 5321 §4.1.1.1: a domain or address literal. We keep any single printable token; it is escaped on use. */
  private static ParseResult hello(String name, boolean extended) {
    if (name.isEmpty() || name.indexOf(' ') >= 0) {
      return ParseResult.error(Replies.SYNTAX_PARAMS);
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Ascii.isPrintable(name.charAt(i)) && name.charAt(i) < 128) {
        return ParseResult.error(Replies.SYNTAX_PARAMS);
      }
    }
    return ParseResult.ok(new Command.Hello(name, extended));
  }

  private static ParseResult mail(String arg) {
    PathOrRefusal parsed = path(arg, "FROM:", true, Replies.BAD_SENDER_SYNTAX);
    if (parsed.refusal() != null) {
      return parsed.refusal();
    }
    PathParser.Result path = parsed.path();
    long size = -1;
    BodyType body = BodyType.SEVEN_BIT;
    boolean smtpUtf8 = false;
    DsnRet ret = null;
    String envid = null;
    String auth = null;
    boolean requireTls = false;
    Parameters params = Parameters.parse(arg, path.end());
    if (params.refusal() != null) {
      return ParseResult.error(params.refusal());
    }
    for (Map.Entry<String, String> param : params.values().entrySet()) {
      String key = param.getKey();
      String value = param.getValue();
      switch (key) {
        case "SIZE" -> { // RFC 1870 §6
          size = digits(value);
          if (size < 0) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        case "BODY" -> { // RFC 6152 §2, RFC 3030 §3
          body = value == null ? null : BodyType.fromKeyword(value);
          if (body == null) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        case "SMTPUTF8" -> { // RFC 6531 §3.4: no value
          if (value != null) {
            return ParseResult.error(Replies.badParameter(key));
          }
          smtpUtf8 = true;
        }
        case "RET" -> { // RFC 3461 §4.3
          ret = "FULL".equalsIgnoreCase(value) ? DsnRet.FULL : "HDRS".equalsIgnoreCase(value) ? DsnRet.HDRS : null;
          if (ret == null) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        case "ENVID" -> { // RFC 3461 §4.4
          envid = value == null || value.length() > MAX_ENVID ? null : Xtext.decode(value);
          if (envid == null || envid.isEmpty()) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        case "AUTH" -> { // RFC 4954 §5
          auth = value == null || value.length() > MAX_AUTH ? null : authSubmitter(Xtext.decode(value));
          if (auth == null) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        case "REQUIRETLS" -> { // RFC 8689 §2: no value
          if (value != null) {
            return ParseResult.error(Replies.badParameter(key));
          }
          requireTls = true;
        }
        default -> {
          return ParseResult.error(Replies.unknownParameter(key));
        }
      }
    }
    return ParseResult.ok(new Command.Mail(path.mailbox(),
        new MailParameters(size, body, smtpUtf8, ret, envid, auth, requireTls)));
  }

  /**
   * RFC 4954 §5: the decoded AUTH value is "&lt;&gt;" or an addr-spec, read here as an RFC 5321 mailbox (no source
   * route); null when it is neither.
   */
  private static String authSubmitter(String decoded) {
    if (decoded == null) {
      return null;
    }
    if (decoded.equals("<>")) {
      return decoded;
    }
    String path = "<" + decoded + ">";
    try {
      PathParser.Result r = PathParser.parse(path, 0, false, false);
      return r.end() == path.length() && !r.mailbox().sourceRoute() ? decoded : null;
    } catch (PathParser.PathSyntaxException e) {
      return null;
    }
  }

  private static ParseResult rcpt(String arg) {
    PathOrRefusal parsed = path(arg, "TO:", false, Replies.BAD_RECIPIENT_SYNTAX);
    if (parsed.refusal() != null) {
      return parsed.refusal();
    }
    PathParser.Result path = parsed.path();
    EnumSet<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
    String orcpt = null;
    Parameters params = Parameters.parse(arg, path.end());
    if (params.refusal() != null) {
      return ParseResult.error(params.refusal());
    }
    for (Map.Entry<String, String> param : params.values().entrySet()) {
      String key = param.getKey();
      String value = param.getValue();
      switch (key) {
        case "NOTIFY" -> {
          if (value == null || !parseNotify(value, notify)) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        case "ORCPT" -> {
          orcpt = value == null || value.length() > MAX_ORCPT ? null : parseOrcpt(value);
          if (orcpt == null) {
            return ParseResult.error(Replies.badParameter(key));
          }
        }
        default -> {
          return ParseResult.error(Replies.unknownParameter(key));
        }
      }
    }
    return ParseResult.ok(new Command.Rcpt(path.mailbox(), new RcptParameters(notify, orcpt)));
  }

  /** RFC 3461 §4.1: NOTIFY=NEVER, or a comma list of SUCCESS, FAILURE, DELAY. */
  private static boolean parseNotify(String value, Set<DsnNotify> out) {
    for (String item : value.split(",", -1)) {
      DsnNotify n;
      try {
        n = DsnNotify.valueOf(item.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return false;
      }
      out.add(n);
    }
    return !(out.contains(DsnNotify.NEVER) && out.size() > 1);
  }

  /** RFC 3461 §4.2: ORCPT=addr-type ";" xtext. Kept as "type;decoded". */
  private static String parseOrcpt(String value) {
    int semi = value.indexOf(';');
    if (semi <= 0) {
      return null;
    }
    String type = value.substring(0, semi);
    for (int i = 0; i < type.length(); i++) {
      if (!Ascii.isAtext(type.charAt(i)) || type.charAt(i) > 127) {
        return null;
      }
    }
    String addr = Xtext.decode(value.substring(semi + 1));
    return addr == null || addr.isEmpty() ? null : type.toLowerCase(Locale.ROOT) + ";" + addr;
  }

  private static ParseResult bdat(String arg) {
    String[] parts = arg.split(" ", -1);
    if (parts.length < 1 || parts.length > 2) {
      return ParseResult.error(Replies.SYNTAX_PARAMS);
    }
    long size = digits(parts[0]);
    if (size < 0) {
      return ParseResult.error(Replies.SYNTAX_PARAMS);
    }
    boolean last = parts.length == 2;
    if (last && !parts[1].equalsIgnoreCase("LAST")) {
      return ParseResult.error(Replies.SYNTAX_PARAMS);
    }
    return ParseResult.ok(new Command.Bdat(size, last));
  }

  private static ParseResult auth(String arg) {
    String[] parts = arg.trim().split(" ", -1);
    if (parts[0].isEmpty() || parts.length > 2) {
      return ParseResult.error(Replies.SYNTAX_PARAMS);
    }
    return ParseResult.ok(new Command.Auth(parts[0].toUpperCase(Locale.ROOT), parts.length == 2 ? parts[1] : null));
  }

  /**
   * The path after "FROM:" (reverse: {@code <>} allowed) or "TO:" (forward: bare {@code <postmaster>}
   * allowed), or the reply refusing it.
   */
  private static PathOrRefusal path(String arg, String keyword, boolean reverse, Reply badSyntax) {
    int at = keyword(arg, keyword);
    if (at < 0) {
      return new PathOrRefusal(null, ParseResult.error(Replies.SYNTAX_PARAMS));
    }
    try {
      return new PathOrRefusal(PathParser.parse(arg, at, reverse, !reverse), null);
    } catch (PathParser.PathSyntaxException e) {
      return new PathOrRefusal(null, ParseResult.error(badSyntax));
    }
  }

  private record PathOrRefusal(PathParser.Result path, ParseResult refusal) {
  }

  /** Index after "FROM:"/"TO:" (case-insensitive) and any spaces, or -1. */
  private static int keyword(String arg, String kw) {
    if (!arg.regionMatches(true, 0, kw, 0, kw.length())) {
      return -1;
    }
    int i = kw.length();
    while (i < arg.length() && arg.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** 1 to 20 digits, no sign; -1 when malformed or overflowing. */
  private static long digits(String s) {
    if (s == null || s.isEmpty() || s.length() > 20) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
