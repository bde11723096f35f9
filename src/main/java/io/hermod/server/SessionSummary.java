package io.hermod.server;

import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one log line per SMTP session, like Postfix's {@code disconnect from host[addr] ehlo=1 mail=1 rcpt=2
 * data=1 quit=1 commands=6}: client address, listener, TLS, authenticated user (the name only), commands per
 * verb, messages accepted with their queue ids, and how the session ended (docs/operations.md). Never a
 * password, a command argument or a body. Used on the connection's event loop only.
 */
final class SessionSummary {

  /** How a session ended: the first reason recorded wins (a 421 timeout then the socket closing is "timeout"). */
  enum End {
    QUIT, TIMEOUT, ERROR_LIMIT, PEER_CLOSED, DRAIN, PROTOCOL, TLS_FAILED, SERVER_CLOSED;

    String keyword() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The reason behind a final reply we close with. */
    static End of(Reply closing) {
      if (closing == Replies.TIMEOUT) {
        return TIMEOUT;
      }
      if (closing == Replies.TOO_MANY_ERRORS || closing == Replies.AUTH_FAILURES_CLOSING) {
        return ERROR_LIMIT;
      }
      if (closing == Replies.SHUTTING_DOWN) {
        return DRAIN;
      }
      if (closing.code() == 221) {
        return QUIT;
      }
      if (closing == Replies.BARE_NEWLINE || closing == Replies.PIPELINING_VIOLATION || closing == Replies.PREGREET
          || closing == Replies.NOT_SMTP
          || closing.code() == 500) {
        return PROTOCOL; // 500: another protocol's request (HTTP...)
      }
      return SERVER_CLOSED; // any other closing reply (too many messages in one session...)
    }
  }

  /** Queue ids listed in the line at most; beyond, "+n". */
  private static final int MAX_IDS = 10;
  private static final Logger LOG = Logger.getLogger(SessionSummary.class.getName());

  private final String clientIp;
  private final String listener;
  /** Counts by verb as the session gave them (a fixed set); lower-cased when the line is written. */
  private final Map<String, int[]> verbs = new LinkedHashMap<>();
  private final List<String> queueIds = new ArrayList<>();
  private int commands;
  private int accepted;
  private End end;
  private boolean logged;

  SessionSummary(String clientIp, String listener) {
    this.clientIp = clientIp;
    this.listener = listener;
  }

  /** One command, by its verb tag (the fixed set of {@link SmtpSession#verb}, or "INVALID"). */
  void command(String verb) {
    int[] n = verbs.get(verb); // no lower-casing and no boxing per command (issue #17)
    if (n == null) {
      verbs.put(verb, n = new int[1]);
    }
    n[0]++;
    commands++;
  }

  void accepted(String queueId) {
    accepted++;
    if (queueIds.size() < MAX_IDS) {
      queueIds.add(queueId);
    }
  }

  void ending(End how) {
    if (end == null) {
      end = how;
    }
  }

  /** Logs the line once, at INFO; without a reason recorded the client went away ({@link End#PEER_CLOSED}). */
  void log(boolean tls, String authUser) {
    if (logged) {
      return;
    }
    logged = true;
    ending(End.PEER_CLOSED);
    LogRecord record = new LogRecord(Level.INFO, line(tls, authUser));
    record.setLoggerName(LOG.getName());
    record.setParameters(new Object[] {fields(tls, authUser)}); // logging.format json: a "fields" object
    LOG.log(record);
  }

  /** Lower-case verb to count, in the order first seen. */
  private Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    verbs.forEach((verb, n) -> counts.merge(verb.toLowerCase(Locale.ROOT), n[0], Integer::sum));
    return counts;
  }

  String line(boolean tls, String authUser) {
    StringBuilder s = new StringBuilder("disconnect from [").append(clientIp).append("] listener=").append(listener)
        .append(" tls=").append(tls ? "yes" : "no").append(" user=").append(user(authUser));
    counts().forEach((verb, n) -> s.append(' ').append(verb).append('=').append(n));
    s.append(" commands=").append(commands).append(" accepted=").append(accepted);
    if (!queueIds.isEmpty()) {
      s.append(" ids=").append(String.join(",", queueIds));
      if (accepted > queueIds.size()) {
        s.append(",+").append(accepted - queueIds.size());
      }
    }
    return s.append(" end=").append(end.keyword()).toString();
  }

  JsonObject fields(boolean tls, String authUser) {
    JsonObject counts = new JsonObject();
    counts().forEach(counts::put);
    return new JsonObject().put("event", "disconnect").put("client", clientIp).put("listener", listener)
        .put("tls", tls).put("user", authUser == null ? null : user(authUser)).put("commands", counts)
        .put("commandsTotal", commands).put("accepted", accepted).put("queueIds", new JsonArray(queueIds))
        .put("end", end.keyword());
  }

  /** The name as the client gave it, {@code @} and all; what could break the line becomes "?" ({@link LogSafe}). */
  private static String user(String authUser) {
    return authUser == null ? "-" : LogSafe.token(authUser);
  }
}
