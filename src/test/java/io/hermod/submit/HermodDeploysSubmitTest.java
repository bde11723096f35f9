package io.hermod.submit;

import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.api.SubmitResult;

import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.hermod.submit.SubmitFixture.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HermodDeploysSubmitTest {

  @Test
  void aWholeHermodAnswersOnTheSubmitAddress(@TempDir Path dir) throws Exception {
    try (TestHermod t = TestHermod.start(dir, new JsonObject())) {
      SubmitResult r = await(HermodClient.create(t.vertx).submit(Submission.builder().from("app@example.test")
          .to("bob@remote.test").raw("Subject: x\n\ny\n").build()));
      assertTrue(await(t.hermod.spool().list()).contains(r.queueId()));
    }
  }
}
