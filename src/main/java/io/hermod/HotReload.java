package io.hermod;

import io.hermod.config.ConfigWatcher;
import io.hermod.config.HermodConfig;
import io.hermod.config.LiveConfig;
import io.hermod.config.ReloadPlan;
import io.hermod.dkim.DkimKeyring;
import io.hermod.shaping.BounceClassifier;
import io.hermod.tls.ServerCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.logging.Logger;

/**
 * Applies configuration changes to a running Hermod (docs/operations.md, "Hot reload"): a new valid
 * configuration from the watched file, and renewed certificate, DKIM key and bounce rule files found by a
 * periodic check.
 * Key material is loaded (off the event loop) before the new configuration is published, so a session never
 * sees the new names without the new keys.
 */
final class HotReload {

  private static final Logger LOG = Logger.getLogger(HotReload.class.getName());

  private final Vertx vertx;
  private final LiveConfig live;
  private final ServerCertificate certificate; // null when no listener uses TLS
  private final DkimKeyring dkim;
  private final BounceClassifier bounces;
  private ConfigWatcher watcher;
  private long fileCheckTimer = -1;

  HotReload(Vertx vertx, LiveConfig live, ServerCertificate certificate, DkimKeyring dkim, BounceClassifier bounces) {
    this.vertx = vertx;
    this.live = live;
    this.certificate = certificate;
    this.dkim = dkim;
    this.bounces = bounces;
  }

  /**
   * What can change live applies to new sessions, routing decisions and submissions; the rest keeps its
   * running value and is logged as needing a restart.
   */
  Future<ReloadPlan> apply(HermodConfig next) {
    ReloadPlan plan = ReloadPlan.between(live.current(), next);
    if (plan.isEmpty()) {
      return Future.succeededFuture(plan);
    }
    if (!plan.restartRequired().isEmpty()) {
      LOG.warning("configuration reload: " + String.join(", ", plan.restartRequired())
          + " changed but apply only after a restart; their running values stay");
    }
    return refreshFiles(plan.effective()).map(v -> {
      live.publish(plan.effective());
      if (!plan.changed().isEmpty()) {
        LOG.info("configuration reloaded: " + String.join(", ", plan.changed()) + " now in force");
      }
      return plan;
    });
  }

  /** Watches {@code path} (the file Hermod was started from) every {@code seconds}; 0 = never. */
  void watch(String path, Map<String, String> flags, int seconds) {
    watcher = ConfigWatcher.start(vertx, path, flags, seconds, this::apply);
  }

  /** Renewed certificates and rotated DKIM key files are picked up every {@code seconds}; 0 = never. */
  void checkFilesEvery(int seconds) {
    if (seconds > 0) {
      fileCheckTimer = vertx.setPeriodic(seconds * 1000L, t -> refreshFiles(live.current()));
    }
  }

  private Future<Void> refreshFiles(HermodConfig c) {
    return vertx.executeBlocking(() -> {
      if (certificate != null) {
        certificate.refresh(c);
      }
      dkim.refresh(c.dkim());
      bounces.refresh(c.shaping().bounceRulesFile());
      return null;
    }, false);
  }

  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    vertx.cancelTimer(fileCheckTimer);
  }
}
