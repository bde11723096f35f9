package io.hermod.local;

import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;

/** One local transport. The report has one result per job recipient; the future fails only on a bug. */
interface LocalDeliverer {

  Future<DeliveryReport> deliver(LocalJob job);
}
