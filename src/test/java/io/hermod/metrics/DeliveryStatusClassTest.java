package io.hermod.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deferral reason tag stays within a small fixed set whatever a remote server replies. */
class DeliveryStatusClassTest {

  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "4.7.1, 4.7", "4.4.1, 4.4", "5.1.1, 5.1", "2.0.0, 2.0", "4.7.999, 4.7",
      "NULL, none", "'', none", "4.8.1, other", "3.0.0, other", "4x7.1, other", "4.7, other", "garbage, other"})
  void statusClassIsClassAndSubjectOrAFixedWord(String status, String expected) {
    assertEquals(expected, HermodMetrics.statusClass(status));
  }

  @Test
  void deferralsAreCountedByStatusClass() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HermodMetrics m = new HermodMetrics(registry);
    m.deliveryOutcome("deferred", "4.7.0", Duration.ofSeconds(1));
    m.deliveryOutcome("deferred", "4.7.1", Duration.ofSeconds(1));
    m.deliveryOutcome("deferred", null, Duration.ofSeconds(1));
    String scrape = registry.scrape();
    assertTrue(scrape.contains("hermod_delivery_attempts_total{outcome=\"deferred\",status_class=\"4.7\"} 2.0"), scrape);
    assertTrue(scrape.contains("hermod_delivery_attempts_total{outcome=\"deferred\",status_class=\"none\"} 1.0"), scrape);
  }
}
