package io.hermod.config;

import java.util.List;

/** Reads and checks the "webhooks" list (docs/config.md, docs/events.md "Webhooks"). */
final class WebhooksSection {

  private WebhooksSection() {
  }

  static List<WebhookConfig> bind(JsonSection root) {
    if (!root.array("webhooks").isEmpty()) {
      throw ConfigException.bad(root.key("webhooks"), "webhooks are not implemented yet", root.array("webhooks"));
    }
    return List.of();
  }
}
