/**
 * Time as text, cheaply: timestamps formatted once per second instead of once per message (the Received field's
 * date, the spool's and the events' ISO instants, the log's time). A {@code DateTimeFormatter} call per
 * message was ~3 % of the CPU per relayed message (issue #17).
 */
package io.hermod.time;
