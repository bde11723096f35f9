package io.hermod.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EhloCapabilitiesTest {

  private static EhloCapabilities parse(String wire) throws Exception {
    List<ServerReply> replies = new ReplyParser().feed(wire.getBytes(StandardCharsets.US_ASCII));
    assertEquals(1, replies.size());
    return EhloCapabilities.parse(replies.get(0));
  }

  @Test
  void readsEveryKnownExtensionCaseInsensitively() throws Exception {
    EhloCapabilities caps = parse("250-mx.test greets you\r\n250-pipelining\r\n250-Size 35882577\r\n"
        + "250-8bitmime\r\n250-SMTPUTF8\r\n250-starttls\r\n250-CHUNKING\r\n250-dsn\r\n250 ENHANCEDSTATUSCODES\r\n");
    assertTrue(caps.pipelining());
    assertTrue(caps.size());
    assertEquals(35882577L, caps.sizeLimit());
    assertTrue(caps.eightBitMime());
    assertTrue(caps.smtpUtf8());
    assertTrue(caps.startTls());
    assertTrue(caps.chunking());
    assertTrue(caps.dsn());
    assertTrue(caps.enhancedStatusCodes());
  }

  @ParameterizedTest
  @CsvSource({
      "'250-mx\r\n250 SIZE\r\n', 0",
      "'250-mx\r\n250 SIZE 0\r\n', 0",
      "'250-mx\r\n250 SIZE abc\r\n', 0",
      "'250-mx\r\n250 SIZE 1000\r\n', 1000",
      "'250-mx\r\n250 PIPELINING\r\n', -1",
      "'250 mx\r\n', -1"})
  void sizeLimit(String wire, long expected) throws Exception {
    assertEquals(expected, parse(wire).sizeLimit());
  }

  @Test
  void greetingLineIsNotAKeyword() throws Exception {
    EhloCapabilities caps = parse("250 PIPELINING\r\n");
    assertFalse(caps.pipelining());
    assertFalse(EhloCapabilities.none().startTls());
  }

  @ParameterizedTest
  @CsvSource({
      "'BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=abc', '8BITMIME SMTPUTF8 DSN', 'BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=abc'",
      "'BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=abc', '', ''",
      "'BODY=8BITMIME RET=FULL', 'DSN', 'RET=FULL'",
      "'NOTIFY=FAILURE ORCPT=rfc822;x@y', '8BITMIME', ''",
      "'NOTIFY=FAILURE ORCPT=rfc822;x@y', 'DSN', 'NOTIFY=FAILURE ORCPT=rfc822;x@y'",
      "'SIZE=10 MT-PRIORITY=3', '', 'MT-PRIORITY=3'",
      "'BODY=8BITMIME AUTH=a@b.test', '8BITMIME', 'BODY=8BITMIME'",
      "'BODY=8BITMIME AUTH=a+40b.test', '8BITMIME AUTH', 'BODY=8BITMIME AUTH=a+40b.test'",
      "'AUTH=a+40b.test', 'AUTH', 'AUTH=a+40b.test'",
      "'AUTH=a+40b.test', 'AUTH=PLAIN', ''"})
  void dropsParametersOfExtensionsNotOffered(String params, String keywords, String expected) throws Exception {
    StringBuilder wire = new StringBuilder("250-mx\r\n");
    for (String k : keywords.split(" ")) {
      if (!k.isEmpty()) {
        wire.append("250-").append(k).append("\r\n");
      }
    }
    wire.append("250 HELP\r\n");
    assertEquals(expected, ExtensionParams.forMail(params, parse(wire.toString())));
  }
}
