/**
 * The benchmark harness: Main runs the suites (bootstrap, digest, warm-restart, herd, latency,
 * materializer, pods-memory, micro) against an embedded broker and the peers (GlobalKTable, KCache,
 * Hollow), and writes docs/benchmarks.json and .md. A developer's tool (bin/statecast bench), never
 * deployed.
 */
package io.statecast.bench;
