/**
 * The materializer, a Kafka Streams application (exactly-once v2) that validates and versions the
 * changes of a namespace into the authoritative table and writes the state log, history, rejections,
 * checksums and progress marks, with HTTP for health, metrics and point reads. Materializer is the
 * entry class, MaterializerConfig its one configuration definition, MaterializerOptions the command
 * line of its runnable jar (Main) and of statecast materialize.
 */
package io.statecast.materializer;
