/**
 * Micrometer metrics of a view (ViewMeterBinder): gauges of its entries, stored bytes, staleness,
 * bootstrap time, lag and listener backlog, and counters of records applied and skipped and bytes
 * fetched. The only classes of consumer-lib that touch Micrometer, an optional dependency a service
 * brings itself.
 */
package io.statecast.consumer.micrometer;
