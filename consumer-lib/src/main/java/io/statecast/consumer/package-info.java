/**
 * The library a service links: StateView, a local replica of a namespace's table that bootstraps from
 * the compacted state log, applies deltas, calls listeners with one Change event each, keeps
 * secondary indexes, waits for a producer's writes (read-your-writes), verifies itself against the
 * materializer's checksums and restarts warm from a snapshot. Configured once through ViewConfig;
 * observed through ViewStatus and ViewStats. Compile dependencies: kafka-clients, avro, slf4j-api and
 * the schemas module.
 */
package io.statecast.consumer;
