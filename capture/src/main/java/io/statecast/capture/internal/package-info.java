/** Internals of capture: Debezium records, transactions and positions, row conversion, the Kafka writer. */
package io.statecast.capture.internal;
