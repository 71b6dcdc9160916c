/**
 * Change-data capture into {@code <ns>.changes}: PostgresCapture runs Debezium's embedded engine on a
 * PostgreSQL table (snapshot, then streaming, or a transactional outbox), DebeziumTopicCapture reads an
 * existing Debezium topic; both are a Capture, and CaptureException says why one cannot start or go on.
 */
package io.statecast.capture;
