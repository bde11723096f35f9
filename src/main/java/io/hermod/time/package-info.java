/**
 * Time as text, cheaply: the Received field's date and the log's time built once per second
 * ({@link io.hermod.time.PerSecondText}), the spool's and the events' ISO instants written digit by digit
 * ({@link io.hermod.time.IsoInstant}). A {@code DateTimeFormatter} call per timestamp was ~4 % of the CPU per
 * relayed message (issue #17).
 */
package io.hermod.time;
