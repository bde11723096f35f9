package io.hermod.server;

import io.hermod.spool.Envelope;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.StartTLSOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Independent SMTP clients deliver into Hermod: the Vert.x Mail Client, swaks, Python's smtplib. */
class ClientInteropTest {

  @TempDir
  Path temp;

  @Test
  void vertxMailClient() {
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      MailClient client = MailClient.create(h.vertx, new MailConfig()
          .setHostname("127.0.0.1").setPort(h.port()).setStarttls(StartTLSOptions.DISABLED)
          .setOwnHostname("app.client.test"));
      MailMessage message = new MailMessage()
          .setFrom("app@client.test")
          .setTo(List.of("bob@local.test", "carol@local.test"))
          .setSubject("from the Vert.x Mail Client")
          .setText("Hello from a verticle.\n.leading dot\n");
      MailResult result = client.sendMail(message).await();
      assertEquals(List.of("bob@local.test", "carol@local.test"), result.getRecipients());
      client.close().await();
      List<String> ids = h.hermod.spool().list().await();
      assertEquals(1, ids.size());
      Envelope env = h.hermod.spool().load(ids.get(0)).await();
      assertEquals("app@client.test", env.sender());
      assertEquals(2, env.recipients().size());
      assertEquals("app.client.test", env.clientHelo());
      String stored = read(h, ids.get(0));
      assertTrue(stored.contains("Subject: from the Vert.x Mail Client\r\n"), stored);
      assertTrue(stored.contains("Hello from a verticle.\r\n.leading dot\r\n"), stored);
    }
  }

  @Test
  void swaksWithPipelining() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Process p = new ProcessBuilder("swaks", "-s", "127.0.0.1", "-p", String.valueOf(h.port()),
          "-f", "s@x.test", "-t", "u@local.test", "--pipeline", "--header", "Subject: via swaks",
          "--body", "swaks body")
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "swaks did not finish");
      assertEquals(0, p.exitValue(), output);
      assertTrue(output.contains("250 2.0.0 OK: queued as"), output);
      List<String> ids = h.hermod.spool().list().await();
      assertEquals(1, ids.size());
      assertTrue(read(h, ids.get(0)).contains("Subject: via swaks\r\n"));
    }
  }

  @Test
  void pythonSmtplibWithSmtputf8() throws Exception {
    String script = String.join("\n",
        "import smtplib, sys",
        "from email.message import EmailMessage",
        "m = EmailMessage()",
        "m['From'] = 'jösé@client.test'",
        "m['To'] = 'dörte@local.test'",
        "m['Subject'] = 'Grüße'",
        "m.set_content('Hallo\\n')",
        "s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='py.client.test', timeout=20)",
        "s.ehlo()",
        "assert s.has_extn('smtputf8') and s.has_extn('pipelining')",
        "refused = s.send_message(m, mail_options=['SMTPUTF8', 'BODY=8BITMIME'])",
        "s.quit()",
        "print('refused', refused)");
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, String.valueOf(h.port()))
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python did not finish");
      assertEquals(0, p.exitValue(), output);
      assertTrue(output.contains("refused {}"), output);
      List<String> ids = h.hermod.spool().list().await();
      assertEquals(1, ids.size());
      Envelope env = h.hermod.spool().load(ids.get(0)).await();
      assertEquals("jösé@client.test", env.sender());
      assertEquals("dörte@local.test", env.recipients().get(0).address());
      assertTrue(env.smtpUtf8());
      assertTrue(read(h, ids.get(0)).contains(" with UTF8SMTP id "));
    }
  }

  private static String read(TestHermod h, String id) {
    try {
      return Files.readString(h.hermod.spool().content(id).await().file(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
