package io.hermod.api;

/** Event-bus addresses: the wiring between Hermod's verticles and the API for applications (docs/eventbus.md). */
public final class Addresses {

  /**
   * Spool → router: a message was committed or became due. Body: JSON {"id": queue id}. Sent, not
   * requested: a lost trigger is picked up by the router's periodic spool scan.
   */
  public static final String ROUTER_TRIGGER = "hermod.router.trigger";

  private Addresses() {
  }
}
