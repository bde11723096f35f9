package io.hermod.testing;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A message that reached {@link ScriptedSmtpPeer}'s end of data (or last BDAT chunk).
 *
 * @param mailFrom   the MAIL command line as received ("MAIL FROM:<a@x> SIZE=12")
 * @param rcptTo     the RCPT command lines the peer accepted with 2xx
 * @param content    the message bytes after dot-unstuffing (DATA) or as sent (BDAT), end marker excluded
 * @param tls        whether the session was under TLS
 * @param bdat       whether it came with BDAT rather than DATA
 * @param reply      what the peer answered to it
 * @param atNanos    when the peer had the whole message (System.nanoTime()): times measured where they happen,
 *                   not when a polling test noticed
 */
public record ReceivedMessage(String mailFrom, List<String> rcptTo, Buffer content, boolean tls, boolean bdat,
                              String reply, long atNanos) {
}
