package io.hermod.server;

import io.hermod.config.Limits;
import io.hermod.smtp.Command;
import io.hermod.smtp.CommandParser;
import io.hermod.smtp.InputBuffer;
import io.hermod.smtp.LineReader;
import io.hermod.smtp.ParseResult;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Bytes in, replies out, for one SMTP connection. Commands are handled strictly in order (RFC 2920 §3):
 * while one waits on the spool the socket is paused, so TCP pushes back on the client and unread input
 * stays bounded. Replies to a pipelined group are written together once no complete command is left.
 */
final class SmtpConnection {

  /**
   * GREETING: the greeting's first line is out, its last line waits for the pregreet pause. AUTH: the next line
   * is a SASL response. TLS_HANDSHAKE: between STARTTLS and the end of the handshake.
   */
  private enum Mode { GREETING, COMMAND, DATA, CHUNK, AUTH, TLS_HANDSHAKE, CLOSED }

  private final NetSocket socket;
  private final SmtpSession session;
  private final Limits limits;
  private final Runnable onClosed;
  private final InputBuffer in = new InputBuffer();
  private final LineReader lines;
  private final LineReader authLines = new LineReader(LineReader.MAX_AUTH_RESPONSE_LINE);

  private Buffer out = Buffer.buffer(256);
  private Mode mode = Mode.COMMAND;
  private boolean waiting;       // a command's outcome is pending (spool write or commit)
  private boolean outputBlocked; // the client is not reading our replies
  private long lineStart;      // DATA/BDAT content: when the line in progress began (the read that ended the last)
  private long commandStart;   // when the last command line was read
  private long readySince;     // when we last finished waiting (spool, TLS, content): the next command's deadline starts at the later of the two
  private int errors;
  private MessageReceiver receiver;
  private Action.ReadChunk chunk;
  private Reply greeting;      // while its last line waits for the pregreet pause
  private long chunkRemaining;
  private Future<Void> chunkWrite;

  SmtpConnection(NetSocket socket, SmtpSession session, Limits limits, long now, Runnable onClosed) {
    this.socket = socket;
    this.session = session;
    this.limits = limits;
    this.onClosed = onClosed;
    this.lines = new LineReader(limits.maxCommandLineLength());
    this.commandStart = now;
  }

  /**
   * Sends the greeting; with a {@code pause} (limits.greetPauseMillis) its first line {@code 220-} at once and
   * the whole of it when the pause ends. A client that sends anything meanwhile did not wait for the greeting
   * (postscreen's pregreet test): it gets the rest of the greeting and 554 5.5.0, and is disconnected.
   *
   * @param pause null to greet at once
   */
  void start(Reply greeting, long now, Future<?> pause) {
    socket.handler(data -> onData(data, now()));
    socket.closeHandler(v -> onSocketClosed());
    socket.exceptionHandler(err -> socket.close());
    if (pause == null) {
      reply(greeting);
      flush();
      return;
    }
    this.greeting = greeting;
    mode = Mode.GREETING;
    out.appendString(greeting.code() + "-" + greeting.lines().get(0) + "\r\n");
    flush();
    pause.onComplete(x -> {
      if (mode == Mode.GREETING) {
        endGreeting();
        readySince = now();
        process();
      }
    });
  }

  /** The greeting's last line: the pause is over, or the client did not wait for it. */
  private void endGreeting() {
    greeting.encodeTo(out);
    mode = Mode.COMMAND;
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  private void onData(Buffer data, long now) {
    if (mode == Mode.CLOSED || mode == Mode.TLS_HANDSHAKE) {
      // RFC 3207 §4.2 (CVE-2011-0411): bytes reaching us during the upgrade were sent in plaintext before
      // the handshake; they are dropped, never executed once TLS is up.
      return;
    }
    if ((mode == Mode.DATA || mode == Mode.CHUNK) && hasLineEnd(data)) {
      lineStart = now; // the content's line in progress began in this read (at the latest)
    }
    if (mode == Mode.GREETING) {
      session.pregreet(); // log
      closeWith(Replies.PREGREET);
      return;
    }
    in.append(data);
    process();
  }

  private void process() {
    while (!waiting && !outputBlocked && mode != Mode.CLOSED && mode != Mode.GREETING) {
      boolean more;
      if (mode == Mode.COMMAND) {
        more = readCommand();
      } else if (mode == Mode.AUTH) {
        more = readAuthResponse();
      } else if (mode == Mode.TLS_HANDSHAKE) {
        break;
      } else if (mode == Mode.DATA) {
        more = readData();
      } else {
        more = readChunk();
      }
      if (!more) {
        break;
      }
    }
    flush();
  }

  /** @return true to keep reading in this turn */
  private boolean readCommand() {
    if (in.available() > 0 && !lines.discarding() && looksBinary(in.get(in.position()))) {
      // A TLS ClientHello (0x16) or other binary on a plain SMTP port: answer once and close, rather than
      // buffer it as a line until the timeout.
      closeWith(Replies.NOT_SMTP);
      return false;
    }
    LineReader.Result r = lines.next(in);
    if (r instanceof LineReader.NeedMore) {
      return false;
    }
    commandStart = now();
    if (r instanceof LineReader.BareNewline) {
      closeWith(Replies.BARE_NEWLINE);
      return false;
    }
    if (r instanceof LineReader.TooLong) {
      return reply(Replies.LINE_TOO_LONG);
    }
    if (r instanceof LineReader.BadEncoding) {
      return reply(Replies.BAD_UTF8);
    }
    ParseResult parsed = CommandParser.parse(((LineReader.Line) r).text());
    if (parsed instanceof ParseResult.Error e) {
      session.invalidCommand(e.reply()); // metrics
      if (e.reply() == Replies.NOT_SMTP) {
        closeWith(e.reply()); // an HTTP request or the like: another protocol, not a confused SMTP client
        return false;
      }
      return reply(e.reply());
    }
    Command command = ((ParseResult.Ok) parsed).command();
    // RFC 2920 §3.1: input after the line was sent before our reply; the session decides whether it may be
    return apply(session.handle(command, in.available() > 0));
  }

  /**
   * RFC 4954 §4: one line of base64 (or "*") after our 334, up to 12,288 octets
   * ({@link LineReader#MAX_AUTH_RESPONSE_LINE}); never parsed as a command.
   */
  private boolean readAuthResponse() {
    LineReader.Result r = authLines.next(in);
    if (r instanceof LineReader.NeedMore) {
      return false;
    }
    if (r instanceof LineReader.BareNewline) {
      closeWith(Replies.BARE_NEWLINE);
      return false;
    }
    mode = Mode.COMMAND;
    readySince = now();
    if (r instanceof LineReader.Line line) {
      return apply(session.authResponse(line.text()));
    }
    // Too long or not UTF-8: not base64 either; the exchange ends as a bad response would.
    return apply(session.authResponse("!")); // "!" is not base64: 501 5.5.2
  }

  /**
   * RFC 3207: the replies before STARTTLS go out, unread input is dropped, then Vert.x writes the 220 itself
   * as part of the upgrade (after pausing the plaintext reader), so the client hello is never read as
   * plaintext. When the handshake is done the session starts over.
   */
  private void startTls(Action.StartTls a) {
    in.clear();
    mode = Mode.TLS_HANDSHAKE;
    flush();
    socket.upgradeToSsl(a.options(), a.ready().encode()).onComplete(done -> {
      if (mode == Mode.CLOSED) {
        return;
      }
      if (done.failed()) {
        session.tlsFailed(); // metrics
        session.ending(SessionSummary.End.TLS_FAILED);
        mode = Mode.CLOSED;
        session.resetTransaction();
        socket.close();
        return;
      }
      in.clear();
      session.tlsStarted(TlsState.of(socket.sslSession()));
      mode = Mode.COMMAND;
      readySince = now();
      process();
    });
  }

  private boolean apply(Action action) {
    if (action instanceof Action.Respond a) {
      return reply(a.reply());
    }
    if (action instanceof Action.Await a) {
      return awaitReply(a.reply());
    }
    if (action instanceof Action.Later a) {
      return awaitAction(a.action());
    }
    if (action instanceof Action.Challenge a) {
      mode = Mode.AUTH;
      return reply(a.challenge());
    }
    if (action instanceof Action.StartTls a) {
      startTls(a);
      return false;
    }
    if (action instanceof Action.Close a) {
      closeWith(a.reply());
      return false;
    }
    if (action instanceof Action.ReadData a) {
      if (in.available() > 0) {
        // RFC 2920 §3.1: DATA must be the last command of a group; content before 354 is an attack
        // or a broken client, and must not be taken as commands or content.
        session.resetTransaction();
        closeWith(Replies.PIPELINING_VIOLATION);
        return false;
      }
      receiver = a.receiver();
      mode = Mode.DATA;
      lineStart = now();
      return reply(Replies.START_DATA);
    }
    Action.ReadChunk c = (Action.ReadChunk) action;
    chunk = c;
    chunkRemaining = c.size();
    chunkWrite = null;
    mode = Mode.CHUNK;
    lineStart = now();
    return true;
  }

  private boolean readData() {
    if (in.available() == 0) {
      return false;
    }
    Future<Void> write = receiver.readData(in);
    if (receiver.bareNewline()) {
      session.resetTransaction();
      closeWith(Replies.BARE_NEWLINE); // Postfix's smtpd_forbid_bare_newline: reply and close at once
      return false;
    }
    if (receiver.dataEnded()) {
      receiver = null;
      mode = Mode.COMMAND;
      readySince = now();
      return awaitReply(write == null ? session.endOfMessage() : write.transform(x -> session.endOfMessage()));
    }
    if (write != null) {
      await(write);
    }
    return false;
  }

  private boolean readChunk() {
    if (chunkRemaining > 0) {
      int before = in.available();
      if (before == 0) {
        return false;
      }
      if (chunk.receiver() == null) {
        int n = (int) Math.min(chunkRemaining, before);
        in.consumeTo(in.position() + n);
      } else {
        chunkWrite = chunk.receiver().readChunk(in, chunkRemaining);
        if (chunk.receiver().bareNewline()) {
          session.resetTransaction();
          closeWith(Replies.BARE_NEWLINE);
          return false;
        }
      }
      chunkRemaining -= before - in.available();
      if (chunkRemaining > 0) {
        if (chunkWrite != null) {
          await(chunkWrite);
          chunkWrite = null;
        }
        return false;
      }
    }
    Action.ReadChunk done = chunk;
    Future<Void> write = chunkWrite;
    chunk = null;
    chunkWrite = null;
    mode = Mode.COMMAND;
    readySince = now();
    return awaitReply(write == null ? session.endOfChunk(done) : write.transform(x -> session.endOfChunk(done)));
  }

  /** Pauses input until {@code f} completes, then carries on. */
  private void await(Future<?> f) {
    waiting = true;
    socket.pause();
    f.onComplete(x -> resume());
  }

  /** Sends the reply when it is ready; returns true if it already was (keep reading in this turn). */
  private boolean awaitReply(Future<Reply> f) {
    if (f.isComplete()) {
      return reply(f.succeeded() ? f.result() : Replies.LOCAL_ERROR);
    }
    waiting = true;
    socket.pause();
    flush();
    f.onComplete(x -> {
      if (mode != Mode.CLOSED) {
        reply(x.succeeded() ? x.result() : Replies.LOCAL_ERROR);
      }
      resume();
    });
    return false;
  }

  /** Applies the action when it is ready; returns true if it already was and the connection goes on. */
  private boolean awaitAction(Future<Action> f) {
    if (f.isComplete()) {
      return apply(f.succeeded() ? f.result() : new Action.Respond(Replies.LOCAL_ERROR));
    }
    waiting = true;
    socket.pause();
    flush();
    f.onComplete(x -> {
      waiting = false;
      if (mode != Mode.CLOSED && apply(x.succeeded() ? x.result() : new Action.Respond(Replies.LOCAL_ERROR))) {
        socket.resume();
        process();
      } else {
        flush();
      }
    });
    return false;
  }

  private void resume() {
    waiting = false;
    readySince = now();
    if (mode != Mode.CLOSED) {
      socket.resume();
      process();
    }
  }

  /**
   * Queues a reply. Permanent errors count towards the session's error limit (like Postfix's
   * smtpd_hard_error_limit); past it the session ends with 421.
   *
   * @return true while the connection stays open
   */
  private boolean reply(Reply r) {
    r.encodeTo(out);
    if (r.code() >= 500 && ++errors >= limits.maxErrors()) {
      session.resetTransaction();
      closeWith(Replies.TOO_MANY_ERRORS);
      return false;
    }
    return true;
  }

  private void flush() {
    if (out.length() == 0 || mode == Mode.CLOSED && !socketOpen) {
      return;
    }
    socket.write(out);
    out = Buffer.buffer(256);
    if (!outputBlocked && socket.writeQueueFull()) {
      outputBlocked = true;
      socket.pause();
      socket.drainHandler(v -> {
        outputBlocked = false;
        if (mode != Mode.CLOSED) {
          socket.resume();
          process();
        }
      });
    }
  }

  private boolean socketOpen = true;

  /** Sends a final reply and closes (421 timeouts, 521 bare newline, QUIT's 221...). */
  void closeWith(Reply r) {
    if (mode == Mode.CLOSED) {
      return;
    }
    if (mode == Mode.GREETING) {
      endGreeting(); // a reply of its own must not start inside the greeting's lines (RFC 5321 §4.2.1)
    }
    if (mode != Mode.TLS_HANDSHAKE) { // mid-handshake there is no channel to say anything on
      r.encodeTo(out);
      flush();
    }
    mode = Mode.CLOSED;
    session.ending(SessionSummary.End.of(r));
    session.resetTransaction();
    socket.close();
  }

  /**
   * Called every second by the listener: RFC 5321 §4.5.3.2 server timeouts, as total deadlines, so a client
   * sending one byte a second cannot hold the session. A command must be complete within the command timeout
   * from the moment we were ready for it. In DATA/BDAT content each line must be complete within the data
   * timeout from the end of the line before it, or from the 354 or the BDAT command (Postfix's
   * smtpd_per_record_deadline): a large message may take long, one line may not. That also bounds idle time.
   */
  void checkTimeout(long now) {
    if (mode == Mode.CLOSED || mode == Mode.GREETING || waiting) {
      return;
    }
    boolean inContent = mode == Mode.DATA || mode == Mode.CHUNK;
    boolean expired = inContent
        ? now - lineStart > 1000L * limits.dataTimeoutSeconds()
        : now - Math.max(commandStart, readySince) > 1000L * limits.commandTimeoutSeconds();
    if (expired) {
      closeWith(Replies.TIMEOUT);
    }
  }

  /** An LF in the read: a line of content ended in it (a bare one ends the session anyway). */
  private static boolean hasLineEnd(Buffer data) {
    for (int i = data.length() - 1; i >= 0; i--) { // from the end: a read of a large message has one near it
      if (data.getByte(i) == '\n') {
        return true;
      }
    }
    return false;
  }

  /** A command's first byte below 0x20 (but CR) or above 0x7e: not SMTP text (RFC 5321 §2.4: commands are ASCII). */
  private static boolean looksBinary(byte b) {
    return (b < 0x20 && b != '\r') || b == 0x7f || b < 0;
  }

  /** Shutdown: an idle session (no transaction under way) is closed with 421 4.3.2 now. */
  void drainIfIdle() {
    if (mode == Mode.COMMAND && !waiting && !session.inTransaction()) {
      closeWith(Replies.SHUTTING_DOWN);
    }
  }

  boolean closed() {
    return mode == Mode.CLOSED;
  }

  private void onSocketClosed() {
    socketOpen = false;
    if (mode != Mode.CLOSED) {
      mode = Mode.CLOSED;
      session.resetTransaction();
    }
    session.ended();
    onClosed.run();
  }
}
