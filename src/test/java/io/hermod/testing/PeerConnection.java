package io.hermod.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One connection of {@link ScriptedSmtpPeer}: a small, strict SMTP server state machine. */
final class PeerConnection {

  private enum Mode { COMMAND, DATA, BDAT, BEFORE_TLS, TLS_HANDSHAKE, CLOSED }

  private final ScriptedSmtpPeer peer;
  private final Vertx vertx;
  private final NetSocket socket;
  private final PeerSession session;
  private Buffer pending = Buffer.buffer();
  private Mode mode = Mode.COMMAND;
  private Future<Void> output = Future.succeededFuture();
  private boolean tls;
  private boolean newBatch;

  private String mailFrom;
  private List<String> rcpts = new ArrayList<>();
  private Buffer message;
  private long dataBytes;
  private long bdatRemaining;
  private boolean bdatLast;
  private PeerAction bdatAction;

  PeerConnection(ScriptedSmtpPeer peer, Vertx vertx, NetSocket socket, PeerSession session) {
    this.peer = peer;
    this.vertx = vertx;
    this.socket = socket;
    this.session = session;
  }

  void start() {
    socket.handler(this::onBytes);
    socket.exceptionHandler(t -> { });
    act(peer.greetingAction());
  }

  void closed() {
    mode = Mode.CLOSED;
  }

  private void onBytes(Buffer chunk) {
    if (mode == Mode.CLOSED || mode == Mode.BEFORE_TLS) {
      return; // RFC 3207 §5: nothing sent before the handshake may be acted upon
    }
    pending.appendBuffer(chunk);
    if (mode == Mode.TLS_HANDSHAKE) {
      return;
    }
    newBatch = true;
    process();
  }

  private void process() {
    while (true) {
      if (mode == Mode.COMMAND) {
        String line = takeLine();
        if (line == null) {
          return;
        }
        session.record(line, newBatch);
        newBatch = false;
        command(line);
      } else if (mode == Mode.DATA) {
        String line = takeLine();
        if (line == null) {
          return;
        }
        dataLine(line);
      } else if (mode == Mode.BDAT) {
        if (!bdatBytes()) {
          return;
        }
      } else {
        return;
      }
    }
  }

  private String takeLine() {
    for (int i = 0; i + 1 < pending.length(); i++) {
      if (pending.getByte(i) == '\r' && pending.getByte(i + 1) == '\n') {
        String line = pending.getString(0, i, StandardCharsets.ISO_8859_1.name());
        pending = pending.getBuffer(i + 2, pending.length());
        return line;
      }
    }
    return null;
  }

  private void command(String line) {
    String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
    PeerAction scripted = peer.ruleFor(line);
    PeerAction action = scripted != null ? scripted : defaultFor(verb, line);
    boolean positive = action.kind == PeerAction.Kind.REPLY && action.text.charAt(0) <= '3';
    switch (verb) {
      case "EHLO":
      case "HELO":
      case "RSET":
        resetTransaction();
        break;
      case "MAIL":
        if (positive) {
          resetTransaction();
          mailFrom = line;
        }
        break;
      case "RCPT":
        if (positive) {
          rcpts.add(line);
        }
        break;
      case "DATA":
        if (action.kind == PeerAction.Kind.REPLY && action.text.startsWith("354")) {
          mode = Mode.DATA;
          message = Buffer.buffer();
        }
        break;
      case "BDAT":
        startBdat(line, scripted);
        return; // answered after the chunk (RFC 3030 §2: the chunk is read whatever the reply)
      case "STARTTLS":
        if (action.kind == PeerAction.Kind.REPLY && action.text.startsWith("220")) {
          startTls(action);
          return;
        }
        break;
      case "QUIT":
        act(action);
        output.onComplete(v -> {
          peer.ended(session);
          socket.close();
        });
        mode = Mode.CLOSED;
        return;
      default:
        break;
    }
    act(action);
  }

  private PeerAction defaultFor(String verb, String line) {
    switch (verb) {
      case "EHLO":
        return PeerAction.reply(ehloReply());
      case "HELO":
        return PeerAction.reply("250 peer.test");
      case "MAIL":
        return PeerAction.reply("250 2.1.0 ok");
      case "RCPT":
        return mailFrom == null ? PeerAction.reply("503 5.5.1 MAIL first") : PeerAction.reply("250 2.1.5 ok");
      case "DATA":
        return rcpts.isEmpty() ? PeerAction.reply("503 5.5.1 no valid recipients") : PeerAction.reply("354 go ahead");
      case "RSET":
      case "NOOP":
        return PeerAction.reply("250 2.0.0 ok");
      case "QUIT":
        return PeerAction.reply("221 2.0.0 bye");
      case "STARTTLS":
        return peer.tlsMode() == ScriptedSmtpPeer.TlsMode.OFF || tls
            ? PeerAction.reply("502 5.5.1 not offered") : PeerAction.reply("220 2.0.0 ready to start TLS");
      default:
        return PeerAction.reply("500 5.5.2 unknown command " + line);
    }
  }

  private String ehloReply() {
    List<String> lines = new ArrayList<>();
    lines.add("peer.test");
    lines.addAll(peer.capabilityList());
    if (peer.tlsMode() != ScriptedSmtpPeer.TlsMode.OFF && !tls) {
      lines.add("STARTTLS");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      sb.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append('\n');
    }
    return sb.toString();
  }

  private void dataLine(String line) {
    if (line.equals(".")) {
      session.client(".");
      endMessage(false);
      return;
    }
    // RFC 5321 §4.5.2: a leading dot of a data line is removed.
    String unstuffed = line.startsWith(".") ? line.substring(1) : line;
    message.appendString(unstuffed, StandardCharsets.ISO_8859_1.name()).appendString("\r\n");
    countDataBytes(line.length() + 2);
  }

  private void startBdat(String line, PeerAction scripted) {
    String[] parts = line.trim().split("\\s+");
    bdatRemaining = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
    bdatLast = parts.length > 2 && parts[2].equalsIgnoreCase("LAST");
    bdatAction = scripted;
    if (message == null) {
      message = Buffer.buffer();
    }
    mode = Mode.BDAT;
  }

  /** Consumes what it can of the current chunk; true when the chunk is complete. */
  private boolean bdatBytes() {
    int take = (int) Math.min(bdatRemaining, pending.length());
    message.appendBuffer(pending.getBuffer(0, take));
    pending = pending.getBuffer(take, pending.length());
    bdatRemaining -= take;
    countDataBytes(take);
    if (bdatRemaining > 0 || mode != Mode.BDAT) {
      return false;
    }
    mode = Mode.COMMAND;
    if (bdatLast) {
      endMessage(true);
    } else {
      act(bdatAction != null ? bdatAction : PeerAction.reply("250 2.0.0 chunk received"));
    }
    return true;
  }

  private void countDataBytes(long n) {
    dataBytes += n;
    long limit = peer.dropDuringDataAfter();
    if (limit >= 0 && dataBytes >= limit && mode != Mode.CLOSED) {
      mode = Mode.CLOSED;
      socket.close();
    }
  }

  private void endMessage(boolean bdat) {
    PeerAction action = bdat && bdatAction != null ? bdatAction : peer.afterDataAction();
    peer.received(new ReceivedMessage(mailFrom, List.copyOf(rcpts), message, tls, bdat, action.toString(),
        System.nanoTime()));
    mode = Mode.COMMAND;
    resetTransaction();
    act(action);
  }

  private void resetTransaction() {
    mailFrom = null;
    rcpts = new ArrayList<>();
    message = null;
    dataBytes = 0;
  }

  /**
   * RFC 3207: answers 220 and starts TLS. Vert.x writes the 220 itself as part of the upgrade (the Buffer
   * argument of upgradeToSsl), after it has paused reading and before it adds TLS: writing the 220 first and
   * upgrading afterwards lets the client's hello reach the plaintext handler when the TLS context is still
   * being built. (Reply byte delays do not apply to this reply.)
   */
  private void startTls(PeerAction ready) {
    mode = Mode.BEFORE_TLS;
    pending = Buffer.buffer();
    output.onComplete(v -> {
      if (peer.tlsMode() == ScriptedSmtpPeer.TlsMode.BROKEN) {
        socket.write(ready.text + "this is not a TLS server hello\r\n").onComplete(w -> socket.close());
        mode = Mode.CLOSED;
        return;
      }
      mode = Mode.TLS_HANDSHAKE;
      socket.upgradeToSsl(new ServerSSLOptions().setKeyCertOptions(peer.keyCertOptions()), Buffer.buffer(ready.text))
          .onComplete(ar -> {
            if (ar.failed()) {
              mode = Mode.CLOSED;
              socket.close();
              return;
            }
            tls = true;
            session.markTls();
            resetTransaction();
            mode = Mode.COMMAND;
            newBatch = true;
            process();
          });
    });
  }

  private void act(PeerAction action) {
    switch (action.kind) {
      case REPLY:
        if (action.delayMillis > 0) {
          output = output.compose(v -> later(action.delayMillis));
        }
        send(action.text);
        break;
      case DROP:
        mode = Mode.CLOSED;
        output.onComplete(v -> socket.close());
        break;
      default:
        break; // SILENCE
    }
  }

  private void send(String text) {
    long delay = peer.replyByteDelayMs();
    output = output.andThen(v -> session.server(text));
    if (delay <= 0) {
      output = output.compose(v -> socket.write(text));
      return;
    }
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      output = output.compose(v -> later(delay)).compose(v -> socket.write(Buffer.buffer(new byte[] {b})));
    }
  }

  private Future<Void> later(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }
}
