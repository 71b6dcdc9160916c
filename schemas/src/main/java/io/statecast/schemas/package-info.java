/**
 * The records of every Statecast topic (generated from src/main/avro) and their encoding: AvroCodec
 * (Avro single-object encoding, writer schema by fingerprint), serdes for Kafka clients and Streams,
 * Envelopes, the schemas topic (SchemaTopic, SchemaResolver: a registry without a server) and
 * JsonAvro (plain JSON to Avro and back).
 */
package io.statecast.schemas;
