package io.hermod.smtp;

/** What {@link CommandParser} made of one line: a command, or the reply that refuses it. */
public sealed interface ParseResult {

  record Ok(Command command) implements ParseResult {
  }

  record Error(Reply reply) implements ParseResult {
  }

  static ParseResult ok(Command c) {
    return new Ok(c);
  }

  static ParseResult error(Reply r) {
    return new Error(r);
  }
}
