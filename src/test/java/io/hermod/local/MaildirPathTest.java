package io.hermod.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaildirPathTest {

  @Test
  void placeholdersAreDomainAndLowerCasedLocalPart() {
    assertEquals(Path.of("/var/mail/local.test/bob"), MaildirPath.of("/var/mail/%d/%u", "Bob@Local.Test", "h.test"));
    assertEquals(Path.of("/var/mail/h.test/postmaster"), MaildirPath.of("/var/mail/%d/%u", "Postmaster", "h.test"));
    assertEquals(Path.of("/m/a b"), MaildirPath.of("/m/%u", "\"a b\"@x.test", "h.test"));
  }

  @Test
  void localPartsThatWouldLeaveTheFolderAreRefused() {
    for (String bad : new String[] {"\"../../etc\"@x.test", "\"a/b\"@x.test", ".hidden@x.test", "\"..\"@x.test",
        "\"a\\\\b\"@x.test", "\"\"@x.test", "\"a\tb\"@x.test"}) {
      assertThrows(IllegalArgumentException.class, () -> MaildirPath.of("/m/%d/%u", bad, "h.test"), bad);
    }
  }
}
